// `npm start`: builds the orders demo and the standalone devtools, serves both from one origin
// (the devtools tab reaches every demo tab over BroadcastChannel; processes reach it through the
// WebSocket relay at /eventwire-devtools) and prints the URLs. The bus tutorial: `npm run tutorial`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { run } from './lib/run.mjs';

const port = Number(process.env.PORT ?? 5173);
const host = process.env.HOST ?? '127.0.0.1';

const steps = [
  ['the demo', ['vite', 'build', 'apps/demo', '--logLevel', 'warn']],
  ['the devtools', ['vite', 'build', 'apps/devtools', '--outDir', '../demo/dist/devtools', '--emptyOutDir', '--logLevel', 'warn']],
];
for (const [name, args] of steps) {
  console.log(`[eventwire] building ${name}...`);
  const code = await run('npx', args);
  if (code !== 0) {
    console.error(`[eventwire] building ${name} failed (exit ${code})`);
    process.exit(code);
  }
}

// Vite itself, not through npx: stopping this script must stop the server too.
const vite = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
const server = spawn(process.execPath, [vite, 'preview', 'apps/demo', '--port', String(port), '--host', host, '--strictPort'], { stdio: ['ignore', 'pipe', 'inherit'] });
let printed = false;
server.stdout.on('data', (chunk) => {
  if (printed || !String(chunk).includes(String(port))) return;
  printed = true;
  const base = `http://${host}:${port}`;
  console.log(
    [
      '',
      '  eventwire is running',
      '',
      `  Demo (open it in two tabs):   ${base}/`,
      `  Standalone devtools:          ${base}/devtools/`,
      `  Devtools relay for processes: ws://${host}:${port}/eventwire-devtools`,
      '',
      '  The bus tutorial: npm run tutorial. Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
});
const stop = () => server.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));
