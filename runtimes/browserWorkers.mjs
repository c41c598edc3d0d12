// Runs the browser bundle in Chromium workers: a local static server on an ephemeral port, the
// system Chromium through Playwright, one page and one worker (dedicated or shared) per file.
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { chromium } from 'playwright';

const page = `<!doctype html><meta charset="utf-8"><title>eventwire runtime matrix</title>
<script type="module">
const params = new URLSearchParams(location.search);
const url = params.get('entry') + '?kind=' + params.get('kind');
const relay = (message) => window.matrixMessage(message);
if (params.get('kind') === 'shared') {
  const worker = new SharedWorker(url, { type: 'module', name: url });
  worker.onerror = () => relay({ line: 'the shared worker failed to start', report: null });
  worker.port.onmessage = (event) => relay(event.data);
  worker.port.start();
} else {
  const worker = new Worker(url, { type: 'module' });
  worker.onerror = (event) => relay({ line: 'the worker failed: ' + event.message, report: null });
  worker.onmessage = (event) => relay(event.data);
}
</script>`;

function serve(dir) {
  const server = createServer((request, response) => {
    const path = new URL(request.url, 'http://local').pathname;
    const file = join(dir, basename(path));
    if (path === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(page);
    else if (path.endsWith('.mjs') && existsSync(file)) response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(file));
    else response.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Runs each entry of the bundle in `dir` in its own worker of `kind`.
 * @param {{ dir: string, executablePath: string, kind: 'dedicated' | 'shared', entries: { file: string, entry: string }[], timeoutMs: number }} options
 * @returns {Promise<{ file: string, report: object | undefined, text: string }[]>}
 */
export async function runInBrowserWorkers({ dir, executablePath, kind, entries, timeoutMs }) {
  const server = await serve(dir);
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  const results = [];
  try {
    for (const { file, entry } of entries) results.push({ file, ...(await runEntry(browser, server.address().port, kind, entry, timeoutMs)) });
  } finally {
    await browser.close();
    server.close();
  }
  return results;
}

async function runEntry(browser, port, kind, entry, timeoutMs) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const lines = [];
  let settle;
  const done = new Promise((resolve) => (settle = resolve));
  await tab.exposeFunction('matrixMessage', (message) => {
    if (typeof message.line === 'string') lines.push(message.line);
    if (message.report !== undefined) settle(message.report ?? undefined);
  });
  tab.on('pageerror', (error) => lines.push(`page error: ${error.message}`));
  const timer = setTimeout(() => settle(undefined), timeoutMs);
  await tab.goto(`http://127.0.0.1:${port}/?kind=${kind}&entry=${entry}`);
  const report = await done;
  clearTimeout(timer);
  if (report === undefined) lines.push(`no report from the ${kind} worker within ${timeoutMs} ms`);
  await context.close();
  return { report, text: lines.join('\n') };
}
