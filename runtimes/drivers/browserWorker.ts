// Chromium dedicated and shared workers: the page starts one test file's bundle as
// `?kind=dedicated` or `?kind=shared` and relays the messages to the matrix.
import { runTestFile, type LoadTestFile } from '../harness/report.js';

type Post = (message: unknown) => void;

interface WorkerScope {
  location: { search: string };
  postMessage: Post;
  onconnect: ((event: { ports: { postMessage: Post }[] }) => void) | null;
}

/** Runs the file in this worker and posts `{ line }` messages, then `{ report }`. */
export function start(name: string, load: LoadTestFile): void {
  const scope = globalThis as unknown as WorkerScope;
  const run = async (post: Post) => post({ report: await runTestFile(name, load, (line) => post({ line })) });
  if (new URLSearchParams(scope.location.search).get('kind') === 'shared') {
    scope.onconnect = (event) => {
      const port = event.ports[0]!;
      void run((message) => port.postMessage(message));
    };
  } else {
    void run((message) => scope.postMessage(message));
  }
}
