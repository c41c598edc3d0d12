// Size budgets (minified + gzip, as a bundler would ship them) for every published package,
// enforced by `npm run check` (runtimes/checkPackages.mjs). Measured on dist/, after the build.
// Peer dependencies are left out (they are counted in their own package); the budget of an
// adapter over a big client library (NATS, Redis, React) covers eventwire's own code.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** @type {Record<string, { name: string, import?: string, limit: string, ignore?: string[] }[]>} */
export const budgets = {
  core: [
    // The targets were 3 KiB and 10 KiB. Measured: 4.15 kB and 15.31 kB after slimming the bus
    // (from 4.49 and 15.66 kB; everything now includes connect, capabilities, projections,
    // processors, systems and runners; of the bus, 0.3 kB is the list of error codes that
    // isEventwireError checks). These budgets stop growth at today's size; see bench/RESULTS.md.
    // The cheaper inspected dispatch (no closure per handler) added ~0.1 kB: 4.27 kB. Sampled
    // timing (inspect's timeOneIn) added ~0.2 kB; serializeError no longer pulls in the list of
    // codes (-0.3 kB): 4.13 kB; 4.15 kB with the result of a one-event publish cached on the bus.
    // 4.46 kB with summarized inspection (inspect's summarize: one dispatched record per dispatch,
    // what the devtools bridge asks for): its delivery loop is a method of its own (+0.23 kB);
    // 4.47 kB with its first dispatch of each task timed. 4.5 kB with routes cached by aggregate
    // type, then type name, under a pattern subscription (115 to 21 ns a dispatch on Node).
    // 5.16 kB with the inspection budget (inspect's budget, +0.65 kB: what lets the devtools
    // bridge record a burst's first dispatches and run the rest at the speed of a bus without it).
    { name: '@eventwire/core: the bus alone', import: '{ InMemoryEventBus }', limit: '5.1 KiB' },
    // Everything grew to 15.88 kB with sampled timing, the in-place decode check and packed
    // transport batches in connect (this session's speed work); the bus alone to 4.15 kB.
    // Then to 16.47 kB: the dedupe set's own hash table (+0.38 kB, 3x faster adds), the fast
    // plain-data and envelope checks of decode (+0.1 kB), the lazy stack of serialized errors
    // (+0.08 kB, also in the bus alone: 4.23 kB). 16.52 kB with packEvents / unpackEvents, which
    // the broadcast and worker transports had each written for themselves (-0.05 kB each there).
    // 16.74 kB with summarized inspection (+0.22 kB, the bus's summarized delivery loop, +0.01 kB
    // with its first dispatch of each task timed). 16.98 kB with connect's send and receive paths
    // and its send queue written as promise reactions instead of async functions (+0.22 kB: a
    // third less garbage and 5-9% less CPU per relayed event; see the commit). 17.0 kB with the
    // send queue cutting full batches as they fill (a 100,000-event burst: 145-177 ms to 3-14 ms).
    // 17.04 kB with toBatchMessage (up to 8 events posted as objects, no JSON round trip).
    // 17.19 kB with event ids from pooled randomness (slices of one string per 128 ids) and the
    // ISO time made once per millisecond (+0.15 kB; creating an event in Chromium went from
    // about 6 us to 1-1.5 us). 17.21 kB with the bus's routes by aggregate type, then type name.
    // 17.83 kB with the inspection budget (+0.62 kB, as in the bus alone).
    { name: '@eventwire/core: everything', limit: '17.5 KiB' },
    // What "all of core" held when issue 2 set its 10 KiB target: events and the registry, errors,
    // the bus, the in-memory store, aggregates and CloudEvents (9.07 kB). Everything else in
    // core came with later issues (connect, projections, processors, systems, runners).
    {
      name: "@eventwire/core: issue 2's surface (events, registry, bus, store, aggregates, CloudEvents)",
      import: '{ defineEvent, EventRegistry, registerEvent, EventDecodeError, EventwireError, isEventwireError, serializeError, deserializeError, InMemoryEventBus, InMemoryEventStore, ConcurrencyError, AggregateRoot, AggregateRepository, toCloudEvent, fromCloudEvent }',
      limit: '10 KiB',
    },
  ],
  'transport-broadcast': [{ name: '@eventwire/transport-broadcast', limit: '2 KiB' }],
  'transport-worker': [{ name: '@eventwire/transport-worker (with comlink)', limit: '6.5 KiB' }],
  'runner-worker': [{ name: '@eventwire/runner-worker (with comlink)', limit: '5 KiB' }],
  // 7.18 kB with idb once checkpoints, dead letters, the outbox and tracked appends landed.
  'store-idb': [{ name: '@eventwire/store-idb (with idb)', limit: '7.25 KiB' }],
  'transport-nats': [{ name: '@eventwire/transport-nats (without the @nats-io client)', limit: '6 KiB', ignore: ['@nats-io/nats-core', '@nats-io/jetstream', '@nats-io/transport-node'] }],
  // Node, Bun and Deno only (Redis speaks TCP): node:crypto hashes the Lua scripts for EVALSHA.
  'transport-redis': [{ name: '@eventwire/transport-redis (without ioredis)', limit: '5 KiB', ignore: ['ioredis', 'node:crypto'] }],
  // 5.9 kB with protocol 3: the ring of recent events and the get-events and search commands
  // that answer the devtools' requests for payloads (the stream carries none). 7.09 kB with
  // protocol 4: records packed as they come (the open dispatch whose async handlers fold in,
  // per-route delivery lists, dead letters that repeat a failure), history kept packed; 7.21 kB
  // with no object allocated per event while packing.
  'devtools-bridge': [{ name: '@eventwire/devtools-bridge', limit: '8.25 KiB' }], // protocol 5 added the record ring, the delivery totals and get-range (7.95 KiB, was 6.9)
  'devtools-ui': [{ name: '@eventwire/devtools-ui (without React)', limit: '30 KiB', ignore: ['react', 'react-dom', 'react/jsx-runtime'] }],
  testing: [{ name: '@eventwire/testing (without vitest and fast-check)', limit: '16 KiB', ignore: ['vitest', 'fast-check'] }],
};

/** The published packages (not private), by folder name. */
export function publishedPackages() {
  return readdirSync('packages')
    .filter((name) => existsSync(`packages/${name}/package.json`))
    .filter((name) => !JSON.parse(readFileSync(`packages/${name}/package.json`, 'utf8')).private);
}

function peersOf(name) {
  return Object.keys(JSON.parse(readFileSync(`packages/${name}/package.json`, 'utf8')).peerDependencies ?? {});
}

export default publishedPackages().flatMap((name) =>
  (budgets[name] ?? []).map((budget) => ({
    ...budget,
    path: `packages/${name}/dist/index.js`,
    gzip: true,
    ignore: [...peersOf(name), ...(budget.ignore ?? [])],
  })),
);
