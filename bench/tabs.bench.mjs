// Across tabs and workers, in real Chromium: eventwire (bus + connect over BroadcastChannel or a
// worker port) side by side with the raw channel in the same browser, the same run:
// 1. relay latency, tab -> tab -> tab round trip (target: <= 1.2x the raw BroadcastChannel);
// 2. batched throughput between tabs (target: >= 100k events/s; raw packed ~228k here);
// 3. batched throughput to a dedicated worker (target: >= 200k events/s; raw packed ~605k).
// The machine is shared and noisy: the whole measurement runs BENCH_RUNS times (a fresh browser
// each time), raw and eventwire interleaved within each run; the table gives every run.
// Writes bench/results/tabs.md. Run: npm run bench -- tabs
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { chromium } from 'playwright';
import { formatCount, median, startFixtureServer } from './lib/fixtureServer.mjs';

const port = Number(process.env.BENCH_TABS_PORT ?? process.env.BENCH_PORT ?? 5232);
const base = `http://127.0.0.1:${port}/tabs`;
const events = Number(process.env.BENCH_EVENTS ?? 10_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
const pingRounds = Number(process.env.BENCH_PINGS ?? 4_000);
// Warm-up, the same for both sides, until eventwire's rounds stop speeding up: in runs of 16,000
// round trips (each in a fresh browser, after 400), eventwire's first 4,000 ran at 1.28-1.46x the
// raw channel and each later quarter at 1.10-1.16x; throughput rounds of 10,000 events sped up
// for the first 4 or 5 of them (the engine optimizing the receiving code, run once per round
// trip or per batch). The cold figures are reported beside the warm ones.
const warmupPings = Number(process.env.BENCH_WARMUP_PINGS ?? 6_000);
const warmupRounds = Number(process.env.BENCH_WARMUP_ROUNDS ?? 5);
// Five runs: on this shared machine one run's relay ratio moves by ±0.05, and the target is 1.2x.
const runs = Number(process.env.BENCH_RUNS ?? 5);
const targets = { latency: 1.2, tabs: 100_000, worker: 200_000 };

/** The `q` quantile of some samples (0: smallest, 1: largest). */
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))];

/** One run in a fresh browser: latency blocks, then throughput rounds, raw and eventwire taking turns. */
async function measure(app) {
  const browser = await chromium.launch({ executablePath: process.env.EVENTWIRE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const context = await browser.newContext();
    const [sender, responder] = [await context.newPage(), await context.newPage()];
    for (const page of [sender, responder]) {
      await page.goto(`${base}/bench.html`);
      await page.waitForFunction(() => document.title === 'ready');
    }
    await responder.evaluate((name) => window.bench.respond(name), app);

    // 1. latency: warm-up, then blocks of round trips in the order eventwire, raw, raw, eventwire...
    // The k-th blocks of the two sides ran next to each other.
    const pairedRatios = (blocks) => blocks.eventwire.map((ours, k) => ours / blocks.raw[k]);
    await responder.evaluate((n) => window.bench.preparePongs(n), warmupPings);
    const coldLatency = pairedRatios(await sender.evaluate(([name, n]) => window.bench.latency(name, n), [app, warmupPings]));
    await responder.evaluate((n) => window.bench.preparePongs(n), pingRounds * 2);
    const latency = await sender.evaluate(([name, n]) => window.bench.latency(name, n), [app, pingRounds * 2]);
    const blockRatios = pairedRatios(latency);

    // 2. and 3. throughput: warm-up rounds, then rounds in which raw and eventwire take turns to go first
    const samples = { tabs: { eventwire: [], raw: [] }, worker: { eventwire: [], raw: [] } };
    const cold = { tabs: [], worker: [] };
    for (let i = 0; i < warmupRounds; i++) {
      for (const mode of ['eventwire', 'raw']) {
        const tabs = await sender.evaluate(([name, n, m]) => window.bench.throughputTabs(name, n, m), [app, events, mode]);
        const worker = await sender.evaluate(([n, m]) => window.bench.throughputWorker(n, m), [events, mode]);
        if (mode === 'eventwire') [cold.tabs[i], cold.worker[i]] = [tabs, worker];
      }
    }
    for (let i = 0; i < rounds; i++) {
      for (const mode of i % 2 === 0 ? ['eventwire', 'raw'] : ['raw', 'eventwire']) {
        samples.tabs[mode].push(await sender.evaluate(([name, n, m]) => window.bench.throughputTabs(name, n, m), [app, events, mode]));
        samples.worker[mode].push(await sender.evaluate(([n, m]) => window.bench.throughputWorker(n, m), [events, mode]));
      }
    }
    return {
      version: browser.version(),
      load: loadavg()[0],
      latency: { raw: quantile(latency.raw, 0.5), eventwire: quantile(latency.eventwire, 0.5), ratio: quantile(blockRatios, 0.5), low: quantile(blockRatios, 0.25), high: quantile(blockRatios, 0.75), cold: quantile(coldLatency, 0.5) },
      tabs: { raw: median(samples.tabs.raw), eventwire: median(samples.tabs.eventwire), cold: cold.tabs },
      worker: { raw: median(samples.worker.raw), eventwire: median(samples.worker.eventwire), cold: cold.worker },
    };
  } finally {
    await browser.close();
  }
}

const server = await startFixtureServer(port, '/tabs/bench.html');
const results = [];
try {
  for (let run = 0; run < runs; run++) {
    const result = await measure(`bench-${Date.now().toString(36)}-${run}`);
    console.log(`run ${run + 1}: ${JSON.stringify(result)}`);
    results.push(result);
  }
} finally {
  server.close();
}

const verdict = (met) => (met ? 'met' : 'NOT met');
const ratio = (value, digits = 2) => `${value.toFixed(digits)}x`;
const middle = (pick) => median(results.map(pick));
const latencyRatios = results.map((result) => result.latency.ratio);
const rows = [
  [
    'relay round trip tab → tab → tab (µs, lower is better)',
    formatCount(middle((result) => result.latency.raw)),
    formatCount(middle((result) => result.latency.eventwire)),
    ratio(median(latencyRatios), 3),
    `≤ 1.2x: ${verdict(median(latencyRatios) <= targets.latency)}`,
    latencyRatios.map((value) => ratio(value, 3)).join(' · '),
  ],
  ...['tabs', 'worker'].map((where) => {
    const ours = results.map((result) => result[where].eventwire);
    return [
      where === 'tabs' ? `throughput tab → tab, ${formatCount(events)} events (events/s)` : `throughput page → dedicated worker, ${formatCount(events)} events (events/s)`,
      formatCount(middle((result) => result[where].raw)),
      formatCount(median(ours)),
      ratio(median(results.map((result) => result[where].eventwire / result[where].raw))),
      `≥ ${formatCount(targets[where])}/s: ${verdict(median(ours) >= targets[where])}`,
      results.map((result) => `${formatCount(result[where].eventwire)} (${ratio(result[where].eventwire / result[where].raw)})`).join(' · '),
    ];
  }),
];
/** Throughput of each warm-up round, median over the runs: shows the rounds speeding up. */
const warmupColumns = (where) => Array.from({ length: warmupRounds }, (_, i) => formatCount(median(results.map((result) => result[where].cold[i])))).join(' → ');
const table = [
  '## Across tabs and workers (Chromium)',
  '',
  `\`npm run bench -- tabs\` · Chromium ${results[0].version} · two tabs of one browser, one page's dedicated worker · ${runs} runs, each in a fresh browser · latency: ${formatCount(pingRounds)} round trips per side per run, in blocks of 50 sequential round trips (performance.now() is coarse without cross-origin isolation) in the order eventwire, raw, raw, eventwire...; eventwire / raw is the median ratio of neighbouring blocks (middle half of the block ratios, run by run: ${results.map((result) => `${result.latency.low.toFixed(2)}–${result.latency.high.toFixed(2)}`).join(' · ')}) · throughput: median of ${rounds} rounds per run, raw and eventwire taking turns to go first · before measuring, each run warms both sides up alike (${formatCount(warmupPings)} round trips, ${warmupRounds} throughput rounds of each kind; cold figures below) · load average on 2 cores after each run: ${results.map((result) => result.load.toFixed(1)).join(' · ')} (the machine is shared: the ratios matter more than the absolute numbers).`,
  '',
  'eventwire = `InMemoryEventBus` + `connect` (registry decoding with zod, dedupe, batching) over `createBroadcastTransport` / `createPortTransport` (a batch is one message: its events packed as one JSON string, or up to 8 events as objects), events published with `publishSync`.',
  'Raw = the same event objects posted straight on a `BroadcastChannel` / `Worker.postMessage` (structured clone): one message per ping and per pong, each carrying its event; 100 events per message for throughput, and the raw receiver only counts them.',
  'Events are created before timing on both sides (creating one, with schema validation and an id, costs about 1 µs here whatever carries it).',
  '',
  '| measure | raw channel | eventwire | eventwire / raw | target | eventwire run by run (/ raw) |',
  '|---|---:|---:|---:|---|---|',
  ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  '',
  `The middle columns are medians over the runs. Cold, during the warm-up (eventwire only, median of the runs): relay ${ratio(median(results.map((result) => result.latency.cold)), 3)} the raw round trip; throughput, warm-up round by round, tab → tab ${warmupColumns('tabs')} and page → worker ${warmupColumns('worker')} events/s.`,
  '',
  'Where a throughput round goes, page → worker: the page has posted its last batch about halfway through the round; the worker is the slower side, about 3 µs per event in its message handlers (reading the message ~0.4, parsing the packed batch ~0.7, then registry decoding, the dedupe set of recent ids, garbage collection and the bus dispatch), where parsing, decoding and dispatching the same batches in one undisturbed page takes about 1.5–2 µs. The rounds spread because on this shared 2-core machine the page, the worker and the browser compete for the cores.',
  '',
].join('\n');
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/tabs.md', table);
console.log(table);
