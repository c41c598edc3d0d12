// Node 22, Deno and Bun: each test file's bundle runs as a script, prints, and exits.
import { REPORT_MARKER, runTestFile, type LoadTestFile } from '../harness/report.js';

/** Runs the file; the process exits with 1 when a test failed. */
export function start(name: string, load: LoadTestFile): void {
  void runTestFile(name, load, (line) => console.log(line)).then((report) => {
    console.log(`${REPORT_MARKER}${JSON.stringify(report)}`);
    exit(report.failed > 0 ? 1 : 0);
  });
}

// Leftover timers or channels of a test must not keep the process alive; each runtime exits its own way.
function exit(code: number): void {
  const host = globalThis as { Deno?: { exit(code: number): never }; process?: { exit(code: number): never } };
  if (host.Deno !== undefined) host.Deno.exit(code);
  else host.process?.exit(code);
}
