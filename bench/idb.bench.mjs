// The IndexedDB event store in real Chromium, side by side with raw idb in the same page:
// 1. 10,000 single-event appends issued together (target >= 0.8x raw idb writing all 10,000 in
//    one transaction, and >= 5x one awaited transaction per event);
// 2. 100 awaited appends of 100 events (target >= 2x raw idb's one-transaction rate);
// 3. readAll of 10,000 (target >= 0.8x getAll).
// Writes bench/results/idb.md. Run: npm run bench -- idb
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright';
import { formatCount, median, startFixtureServer } from './lib/fixtureServer.mjs';

const port = Number(process.env.BENCH_IDB_PORT ?? 5241);
const base = `http://127.0.0.1:${port}/store-idb`;
const events = Number(process.env.BENCH_EVENTS ?? 10_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const perEventTransactions = Number(process.env.BENCH_TX_EVENTS ?? 1_000);

const server = await startFixtureServer(port, '/store-idb/bench.html');
try {
  const browser = await chromium.launch({
    executablePath: process.env.EVENTWIRE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  const load = async () => {
    await page.goto(`${base}/bench.html`, { timeout: 120_000 });
    await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 120_000 });
  };
  await load();
  // Vite may reload the page once when it discovers dependencies: then load it again and retry.
  const run = async (fn, ...args) => {
    try {
      return await page.evaluate(([name, a]) => window.bench[name](...a), [fn, args]);
    } catch (error) {
      if (!String(error).includes('Execution context was destroyed')) throw error;
      await load();
      return page.evaluate(([name, a]) => window.bench[name](...a), [fn, args]);
    }
  };

  // warm-up of every path (JIT, the IndexedDB backend)
  await run('rawOneTransaction', 1_000);
  await run('singleAppends', 1_000, 0);
  await run('batchedAppends', 10, 100);
  await run('readAll', 1_000);
  await run('cleanUp');

  const samples = { rawOne: [], rawPerTx: [], single: [], singleWarm: [], batched: [], rawGetAll: [], readAll: [] };
  for (let i = 0; i < rounds; i++) {
    samples.rawOne.push(await run('rawOneTransaction', events));
    samples.single.push(await run('singleAppends', events, 0));
    samples.singleWarm.push(await run('singleAppends', events, events));
    samples.rawPerTx.push(await run('rawTransactionPerEvent', perEventTransactions));
    samples.batched.push(await run('batchedAppends', 100, 100));
    samples.rawGetAll.push(await run('rawGetAll', events));
    samples.readAll.push(await run('readAll', events));
    await run('cleanUp');
  }
  const version = browser.version();
  await browser.close();

  const m = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, median(values)]));
  const rows = [
    [`${formatCount(events)} single-event appends issued together, new store`, 'one transaction, one record per event', m.rawOne, m.single, 0.8],
    [`${formatCount(events)} single-event appends issued together, new store`, `one awaited transaction per event (${formatCount(perEventTransactions)} events)`, m.rawPerTx, m.single, 5],
    [`${formatCount(events)} single-event appends issued together, store reopened over ${formatCount(events)} events`, 'one transaction, one record per event', m.rawOne, m.singleWarm, 0.8],
    ['100 awaited appends of 100 events', 'one transaction, one record per event', m.rawOne, m.batched, 2],
    [`readAll of ${formatCount(events)}`, 'getAll of one record per event', m.rawGetAll, m.readAll, 0.8],
  ];
  const table = [
    '## IndexedDB event store (Chromium)',
    '',
    `\`npm run bench -- idb\` · Chromium ${version} · one page, eventwire and raw idb alternating · median of ${rounds} rounds · events/s (higher is better).`,
    '',
    'eventwire = `IndexedDBEventStore` (group commit, commit records of up to 128 events, unique event-id index, stream index, concurrency check per append).',
    'Raw = idb with one record per event (auto-increment key + unique `[streamId, version]` index), the layout the baselines measure. Events (~230 B, zod-validated) are created before timing on both sides.',
    'Single appends go each to a new stream with `expectedVersion: \'noStream\'`; "reopened" is a fresh store instance over an existing database, so it must look every stream version up.',
    '',
    '| measure | raw idb | raw events/s | eventwire events/s | eventwire / raw | target |',
    '|---|---|---:|---:|---:|---|',
    ...rows.map(([name, raw, rawValue, ours, target]) => {
      const ratio = ours / rawValue;
      return `| ${name} | ${raw} | ${formatCount(rawValue)} | ${formatCount(ours)} | ${ratio.toFixed(2)}x | ≥ ${target}x${ratio >= target ? ' (met)' : ' (NOT met)'} |`;
    }),
    '',
  ].join('\n');
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/idb.md', table);
  console.log(table);
} finally {
  server.close();
}
