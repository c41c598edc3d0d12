// The same in-memory dispatch benchmark in each server runtime of the matrix: eventwire's bus
// next to mitt, both bundled into one script per runtime and timed in that runtime's process.
// workerd is left out on purpose: it freezes its clocks while code runs (a Spectre mitigation),
// so a Worker cannot time itself. Rerun: `npm run bench -- runtimes`.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { ensureNode22 } from '../runtimes/node22.mjs';

const outDir = 'runtimes/.out/bench';
mkdirSync(outDir, { recursive: true });
mkdirSync('bench/results', { recursive: true });

const workload = `
import { defineEvent, InMemoryEventBus } from '@eventwire/core';
import mitt from 'mitt';

const passThrough = { '~standard': { version: 1, vendor: 'bench', validate: (value) => ({ value }) } };
const Tick = defineEvent('Tick', passThrough);
const events = Array.from({ length: 1000 }, (_, n) => Tick.create({ n }));
let sum = 0;

async function nsPerEvent(run, eventsPerRun) {
  for (let i = 0; i < 3; i++) await run();
  const samples = [];
  for (let round = 0; round < 7; round++) {
    const start = performance.now();
    for (let i = 0; i < 20; i++) await run();
    samples.push(((performance.now() - start) * 1e6) / (20 * eventsPerRun));
  }
  return samples.sort((a, b) => a - b)[3];
}

const bus = new InMemoryEventBus();
bus.subscribe(Tick, (event) => { sum += event.data.n; });
const emitter = mitt();
emitter.on('Tick', (event) => { sum += event.data.n; });

const result = {
  mitt: await nsPerEvent(() => { for (const event of events) emitter.emit('Tick', event); }, events.length),
  batch: await nsPerEvent(() => bus.publish(events), events.length),
  awaitEach: await nsPerEvent(async () => { for (const event of events) await bus.publish(event); }, events.length),
  userAgent: globalThis.navigator?.userAgent ?? 'Node.js/' + globalThis.process?.versions?.node,
  sum,
};
console.log(JSON.stringify(result));
`;

await build({
  stdin: { contents: workload, resolveDir: process.cwd(), loader: 'js' },
  outfile: `${outDir}/dispatch.mjs`,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'es2022',
  conditions: ['@eventwire/source'],
  logLevel: 'warning',
});

const node22 = await ensureNode22(process.cwd());
const runtimes = [
  ['Node 20', process.execPath, []],
  ['Node 22', node22, []],
  ['Deno', 'node_modules/.bin/deno', ['run', '--no-config', '--no-lock', '--quiet']],
  ['Bun', 'node_modules/.bin/bun', ['run']],
];

const rows = [];
for (const [name, binary, args] of runtimes) {
  if (binary === undefined) {
    console.log(`${name}: not installed, skipped`);
    continue;
  }
  const child = spawnSync(binary, [...args, `${outDir}/dispatch.mjs`], { encoding: 'utf8' });
  const line = child.stdout.trim().split('\n').pop();
  if (child.status !== 0 || !line?.startsWith('{')) {
    console.log(`${name}: failed\n${child.stdout}${child.stderr}`);
    process.exitCode = 1;
    continue;
  }
  const r = JSON.parse(line);
  rows.push(`| ${name} (${r.userAgent}) | ${r.mitt.toFixed(1)} | ${r.batch.toFixed(1)} | ${(r.batch / r.mitt).toFixed(2)}× | ${r.awaitEach.toFixed(1)} |`);
  console.log(rows.at(-1));
}

const table = [
  '## Dispatch in each runtime (runtimes)',
  '',
  '`npm run bench -- runtimes`: one bundle, run in each runtime\'s own process; ns per event, 1 sync',
  'handler, median of 7 rounds of 20 × 1,000 events. mitt is the peer, measured in the same process.',
  'workerd cannot time itself (its clocks stand still while code runs), so it is not in this table.',
  '',
  '| runtime | mitt emit | eventwire `publish(1,000 events)` | eventwire / mitt | eventwire `await publish(event)` each |',
  '|---|---:|---:|---:|---:|',
  ...rows,
].join('\n');
writeFileSync('bench/results/runtimes.md', `${table}\n`);
console.log(`\n${table}`);
