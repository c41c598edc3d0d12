// Systems in real Chromium: the dog school's addTrick commands per second, each awaited, until
// the trick counters have processed them all, through every runner in one page: in-page
// SingleThreadedRunner and ConcurrentRunner (in memory), the SingleThreadedRunner on IndexedDB,
// and the WorkerRunner (one dedicated worker per application) on memory and on IndexedDB,
// against the same commands with counts kept in a Map (no tracking, no counter aggregates).
// Writes bench/results/systems.md. Run: npm run bench -- systems
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright';
import { median, startFixtureServer } from './lib/fixtureServer.mjs';

const port = Number(process.env.BENCH_PORT ?? 5225);
const base = `http://127.0.0.1:${port}/systems`;
const commands = Number(process.env.BENCH_COMMANDS ?? 500);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

const server = await startFixtureServer(port, '/systems/bench.html');
try {
  const browser = await chromium.launch({ executablePath: process.env.EVENTWIRE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  await page.goto(`${base}/bench.html`);
  await page.waitForFunction(() => document.getElementById('out')?.textContent === 'ready');
  const variants = await page.evaluate(() => window.bench.variants);
  const samples = new Map(variants.map((v) => [v, []]));
  for (const variant of variants) await page.evaluate(([v, n]) => window.bench.run(v, n), [variant, 100]); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const variant of variants) samples.get(variant).push(await page.evaluate(([v, n]) => window.bench.run(v, n), [variant, commands]));
  }
  const version = browser.version();
  await browser.close();

  const labels = {
    'map-baseline': 'DogSchool alone + counts in a Map (no tracking), in memory',
    'single-threaded': 'SingleThreadedRunner, in memory',
    concurrent: 'ConcurrentRunner, in memory',
    'single-threaded-idb': 'SingleThreadedRunner, IndexedDBEventStore',
    worker: 'WorkerRunner (a worker per application), in memory',
    'worker-idb': 'WorkerRunner, IndexedDBEventStore',
  };
  const baseline = median(samples.get('map-baseline'));
  const lines = [
    '## Systems (Chromium)',
    '',
    `\`npm run bench -- systems\` · Chromium ${version} · median of ${rounds} rounds · ${commands} addTrick commands (20 dogs, 5 tricks), each awaited, until the counters have processed them all (higher is better)`,
    '',
    '| runner | commands/s | this ÷ Map baseline |',
    '|---|---:|---:|',
    ...variants.map((v) => `| ${labels[v] ?? v} | ${Math.round(median(samples.get(v))).toLocaleString('en')} | ${ratio(median(samples.get(v)) / baseline)}× |`),
    '',
    'Every runner processes each command exactly once with a tracking record; the counters rebuild their Counter aggregate from its stream per event. Worker runner commands cross a Comlink boundary each way.',
  ];
  const table = lines.join('\n');
  console.log(table);
  writeFileSync('bench/results/systems.md', `${table}\n`);
} finally {
  server.close();
}

function ratio(value) {
  return value < 0.1 ? value.toFixed(4) : value.toFixed(2);
}
