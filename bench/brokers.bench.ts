// eventwire's broker transports against the raw clients doing the same work, in one process, on
// this machine's Redis (127.0.0.1:6379) and NATS+JetStream (127.0.0.1:4222):
// - publish: events as CloudEvents JSON, batched (100 per call) and unbatched (one awaited call
//   per event): RedisStreamsTransport.send vs ioredis doing it two ways, a plain XADD (no
//   idempotence) and the idiomatic idempotent publish by hand (a Lua script doing SET NX PX on
//   the event id, then XADD, registered with defineCommand); NatsJetStreamTransport.send vs
//   js.publish with Nats-Msg-Id;
// - end to end: publish, then consume into a handler until all have arrived: eventwire's whole
//   receive path (transport, registry decode in `connect`, bus dispatch, ack) vs the raw
//   consumer (XREADGROUP/XACK, pull consume/ack, JSON.parse, the handler).
// Publish rows interleave the sides: each round cuts every side's events into slices and runs one
// slice of each side in turn (order rotating), adding up each side's time, so a burst of load on
// this shared machine hits all sides alike. End-to-end rows run the sides whole, back to back, in
// rotating order. Rates are medians of BENCH_ROUNDS rounds, ratios the median of the per-round
// ratios (with their min-max). Writes bench/results/brokers.md.
// Run: npm run bench -- brokers
import { connect as connectBus, defineEvent, EventRegistry, InMemoryEventBus, toCloudEvent, type AnyEvent } from '@eventwire/core';
import { NatsJetStreamTransport } from '@eventwire/transport-nats';
import { RedisStreamsTransport } from '@eventwire/transport-redis';
import { AckPolicy, jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect as natsConnect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { mkdirSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

const events = Number(process.env.BENCH_EVENTS ?? 5_000);
const unbatchedEvents = Number(process.env.BENCH_UNBATCHED_EVENTS ?? 2_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 11);
const batchSize = 100;
const redisUrl = process.env.EVENTWIRE_REDIS_URL ?? 'redis://127.0.0.1:6379';
const natsServer = process.env.EVENTWIRE_NATS_URL ?? '127.0.0.1:4222';

const OrderPlaced = defineEvent('OrderPlaced', z.object({ orderId: z.string(), customerName: z.string(), totalAmount: z.number() }), { aggregateType: 'Order' });
const registry = new EventRegistry([OrderPlaced]);
const makeEvents = (count: number): AnyEvent[] =>
  Array.from({ length: count }, (_, n) => OrderPlaced.create({ orderId: `order-${n}`, customerName: `Customer ${n}`, totalAmount: n * 1.5 }, { aggregateId: `order-${n}` }));
const body = (event: AnyEvent) => JSON.stringify(toCloudEvent(event, { source: 'urn:bench' }));
const chunks = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
let runSeq = 0;
const unique = (label: string) => `bench${label}${Date.now().toString(36)}${(runSeq++).toString(36)}`;

async function timed(run: () => Promise<number>): Promise<number> {
  const started = performance.now();
  const count = await run();
  return count / ((performance.now() - started) / 1000);
}

// ---------------------------------------------------------------- Redis
/** One side of a publish comparison, opened (connected, streams created) before any timing. */
interface PublishSession {
  publish(list: readonly AnyEvent[]): Promise<void>;
  close(): Promise<void>;
}

/** Publishing through an eventwire transport: batches of `batchSize`, or one awaited send per event. */
function transportSession(transport: { send(events: readonly AnyEvent[]): Promise<unknown>; close(): Promise<void> }, batched: boolean, clean: () => Promise<unknown>): PublishSession {
  return {
    async publish(list) {
      if (batched) for (const chunk of chunks(list, batchSize)) await transport.send(chunk);
      else for (const event of list) await transport.send([event]);
    },
    async close() {
      await transport.close();
      await clean();
    },
  };
}

const dedupeWindowMs = 600_000; // eventwire's default
/** The raw client's idempotent publish by hand: remember the event id for the window, append if new. */
const publishOnceLua = `if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then
  return redis.call('XADD', KEYS[1], '*', 'id', ARGV[2], 'key', ARGV[3], 'event', ARGV[4])
end
return false`;
interface PublishOnce {
  publishOnce(stream: string, dedupeKey: string, windowMs: number, id: string, key: string, event: string): unknown;
}
const admin = new Redis(redisUrl);
/** The raw sides' client, with the script registered the idiomatic way (EVALSHA, EVAL on NOSCRIPT). */
const raw = new Redis(redisUrl) as Redis & PublishOnce;
raw.defineCommand('publishOnce', { numberOfKeys: 2, lua: publishOnceLua });
await raw.ping();

async function cleanRedis(prefix: string): Promise<void> {
  const keys = await admin.keys(`${prefix}*`);
  for (let i = 0; i < keys.length; i += 1_000) await admin.del(...keys.slice(i, i + 1_000));
}

const redisPublish = {
  async rawXadd(batched: boolean): Promise<PublishSession> {
    const prefix = unique('rawpub');
    const stream = `${prefix}:events`;
    return {
      async publish(list) {
        if (!batched) for (const event of list) await raw.xadd(stream, '*', 'id', event.id, 'key', 'Order.OrderPlaced', 'event', body(event));
        else
          for (const chunk of chunks(list, batchSize)) {
            const pipeline = raw.pipeline();
            for (const event of chunk) pipeline.xadd(stream, '*', 'id', event.id, 'key', 'Order.OrderPlaced', 'event', body(event));
            await pipeline.exec();
          }
      },
      close: () => cleanRedis(prefix),
    };
  },
  async rawIdempotent(batched: boolean): Promise<PublishSession> {
    const prefix = unique('rawidem');
    const stream = `${prefix}:events`;
    const add = (client: PublishOnce, event: AnyEvent) => client.publishOnce(stream, `${prefix}:published:${event.id}`, dedupeWindowMs, event.id, 'Order.OrderPlaced', body(event));
    return {
      async publish(list) {
        if (!batched) for (const event of list) await add(raw, event);
        else
          for (const chunk of chunks(list, batchSize)) {
            const pipeline = raw.pipeline() as ReturnType<Redis['pipeline']> & PublishOnce;
            for (const event of chunk) add(pipeline, event);
            await pipeline.exec();
          }
      },
      close: () => cleanRedis(prefix),
    };
  },
  async eventwire(batched: boolean, deduplicate = true): Promise<PublishSession> {
    const prefix = unique('ewpub');
    const transport = new RedisStreamsTransport({ connection: redisUrl, streamPrefix: prefix, deduplicate, dedupeWindowMs });
    await transport.getStreamInfo(); // connected before the clock starts
    return transportSession(transport, batched, () => cleanRedis(prefix));
  },
};

const redisCases = {
  async rawEndToEnd(): Promise<number> {
    const prefix = unique('rawe2e');
    const stream = `${prefix}:events`;
    const reader = new Redis(redisUrl);
    await admin.xgroup('CREATE', stream, 'g', '0', 'MKSTREAM');
    const list = makeEvents(events);
    let handled = 0;
    const rate = await timed(async () => {
      const consuming = (async () => {
        while (handled < list.length) {
          const reply = (await reader.xreadgroup('GROUP', 'g', 'c', 'COUNT', batchSize, 'BLOCK', 1000, 'STREAMS', stream, '>')) as [string, [string, string[]][]][] | null;
          const entries = reply?.[0]?.[1] ?? [];
          for (const [, fields] of entries) {
            const value = JSON.parse(fields[5]!) as { id: string };
            if (value.id) handled += 1;
          }
          if (entries.length > 0) await reader.xack(stream, 'g', ...entries.map(([id]) => id));
        }
      })();
      for (const chunk of chunks(list, batchSize)) {
        const pipeline = raw.pipeline();
        for (const event of chunk) pipeline.xadd(stream, '*', 'id', event.id, 'key', 'Order.OrderPlaced', 'event', body(event));
        await pipeline.exec();
      }
      await consuming;
      return list.length;
    });
    reader.disconnect();
    await cleanRedis(prefix);
    return rate;
  },
  async eventwireEndToEnd(): Promise<number> {
    const prefix = unique('ewe2e');
    const publisher = new RedisStreamsTransport({ connection: redisUrl, streamPrefix: prefix });
    const consumer = new RedisStreamsTransport({ connection: redisUrl, streamPrefix: prefix, consumerGroup: 'g', batchSize, blockMs: 1000 });
    await publisher.getStreamInfo();
    const bus = new InMemoryEventBus({ name: 'bench' });
    const list = makeEvents(events);
    let handled = 0;
    let done: () => void = () => {};
    const allHandled = new Promise<void>((resolve) => (done = resolve));
    bus.subscribe(OrderPlaced, () => {
      if (++handled === list.length) done();
    });
    const relay = connectBus(bus, consumer, { registry });
    const rate = await timed(async () => {
      for (const chunk of chunks(list, batchSize)) await publisher.send(chunk);
      await allHandled;
      return list.length;
    });
    await relay.close();
    await publisher.close();
    await cleanRedis(prefix);
    return rate;
  },
};

// ---------------------------------------------------------------- NATS
const nc = await natsConnect({ servers: natsServer });
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);

async function withStream<T>(label: string, run: (names: { stream: string; prefix: string }) => Promise<T>): Promise<T> {
  const names = { stream: unique(label).toUpperCase(), prefix: unique(label) };
  try {
    return await run(names);
  } finally {
    await deleteStreams(names);
  }
}

async function deleteStreams(names: { stream: string }): Promise<void> {
  for (const name of [names.stream, `${names.stream}_DEAD_LETTERS`]) await jsm.streams.delete(name).catch(() => false);
}

async function addRawStream(names: { stream: string; prefix: string }): Promise<void> {
  await jsm.streams.add({ name: names.stream, subjects: [`${names.prefix}.>`], storage: StorageType.File });
}

const natsPublish = {
  async raw(batched: boolean): Promise<PublishSession> {
    const names = { stream: unique('rawpub').toUpperCase(), prefix: unique('rawpub') };
    await addRawStream(names);
    const subject = `${names.prefix}.Order.OrderPlaced`;
    return {
      async publish(list) {
        if (batched) for (const chunk of chunks(list, batchSize)) await Promise.all(chunk.map((event) => js.publish(subject, body(event), { msgID: event.id })));
        else for (const event of list) await js.publish(subject, body(event), { msgID: event.id });
      },
      close: () => deleteStreams(names),
    };
  },
  async eventwire(batched: boolean): Promise<PublishSession> {
    const names = { stream: unique('ewpub').toUpperCase(), prefix: unique('ewpub') };
    const transport = new NatsJetStreamTransport({ connection: nc, stream: names.stream, subjectPrefix: names.prefix });
    await transport.getStreamInfo(); // streams exist before the clock starts
    return transportSession(transport, batched, () => deleteStreams(names));
  },
};

const natsCases = {
  rawEndToEnd: () =>
    withStream('rawe2e', async (names) => {
      await addRawStream(names);
      await jsm.consumers.add(names.stream, { durable_name: 'c', ack_policy: AckPolicy.Explicit });
      const consumer = await js.consumers.get(names.stream, 'c');
      const list = makeEvents(events);
      const subject = `${names.prefix}.Order.OrderPlaced`;
      let handled = 0;
      return timed(async () => {
        const messages = await consumer.consume({ max_messages: batchSize });
        const consuming = (async () => {
          for await (const message of messages) {
            const value = JSON.parse(new TextDecoder().decode(message.data)) as { id: string };
            if (value.id) handled += 1;
            message.ack();
            if (handled === list.length) break;
          }
        })();
        for (const chunk of chunks(list, batchSize)) await Promise.all(chunk.map((event) => js.publish(subject, body(event), { msgID: event.id })));
        await consuming;
        await messages.close();
        return list.length;
      });
    }),
  eventwireEndToEnd: () =>
    withStream('ewe2e', async (names) => {
      const publisher = new NatsJetStreamTransport({ connection: nc, stream: names.stream, subjectPrefix: names.prefix });
      const consumer = new NatsJetStreamTransport({ connection: nc, stream: names.stream, subjectPrefix: names.prefix, durable: 'c', batchSize });
      const bus = new InMemoryEventBus({ name: 'bench' });
      const list = makeEvents(events);
      let handled = 0;
      let done: () => void = () => {};
      const allHandled = new Promise<void>((resolve) => (done = resolve));
      bus.subscribe(OrderPlaced, () => {
        if (++handled === list.length) done();
      });
      const relay = connectBus(bus, consumer, { registry });
      await consumer.ready();
      const rate = await timed(async () => {
        for (const chunk of chunks(list, batchSize)) await publisher.send(chunk);
        await allHandled;
        return list.length;
      });
      await relay.close();
      await publisher.close();
      return rate;
    }),
};

// ---------------------------------------------------------------- runs
interface Baseline<Run> {
  /** What the raw client does in this comparison. */
  does: string;
  run: Run;
}

interface Row {
  broker: string;
  scenario: string;
  rawDoes: string;
  raw: number;
  eventwire: number;
  /** Median of the per-round ratios: each round runs every side back to back, so drift cancels. */
  ratio: number;
  lowest: number;
  highest: number;
}

/** Runs eventwire and each raw baseline whole once per round (order rotating); one row per baseline. */
async function compare(broker: string, scenario: string, baselines: Baseline<() => Promise<number>>[], eventwire: () => Promise<number>): Promise<Row[]> {
  const sides = [...baselines.map((baseline) => baseline.run), eventwire];
  for (const side of sides) await side(); // warm-up
  const rates: number[][] = sides.map(() => []);
  for (let i = 0; i < rounds; i++) {
    // Rotate the order, so no side always runs first (on a warmer, or busier, machine).
    for (let k = 0; k < sides.length; k++) {
      const index = (i + k) % sides.length;
      rates[index]!.push(await sides[index]!());
    }
  }
  return rowsOf(broker, scenario, baselines, rates);
}

/**
 * Publishes `count` events per side and round, interleaved: a slice of `slice` events on each side
 * in turn (order rotating), each side's own time added up. One row per baseline.
 */
async function comparePublish(
  broker: string,
  scenario: string,
  baselines: Baseline<() => Promise<PublishSession>>[],
  eventwire: () => Promise<PublishSession>,
  { count, slice }: { count: number; slice: number },
): Promise<Row[]> {
  const opens = [...baselines.map((baseline) => baseline.run), eventwire];
  const rates: number[][] = opens.map(() => []);
  for (let round = -1; round < rounds; round++) {
    const sessions = await Promise.all(opens.map((open) => open()));
    const lists = sessions.map(() => makeEvents(count));
    const spent = sessions.map(() => 0);
    for (let start = 0, turn = 0; start < count; start += slice, turn++) {
      for (let k = 0; k < sessions.length; k++) {
        const index = (turn + k) % sessions.length;
        const started = performance.now();
        await sessions[index]!.publish(lists[index]!.slice(start, start + slice));
        spent[index]! += performance.now() - started;
      }
    }
    for (const session of sessions) await session.close();
    if (round >= 0) spent.forEach((ms, index) => rates[index]!.push(count / (ms / 1000))); // round -1 warms up
  }
  return rowsOf(broker, scenario, baselines, rates);
}

function rowsOf(broker: string, scenario: string, baselines: Baseline<unknown>[], rates: number[][]): Row[] {
  const ours = rates[baselines.length]!;
  return baselines.map((baseline, b) => {
    const ratios = ours.map((rate, i) => rate / rates[b]![i]!);
    const row = { broker, scenario, rawDoes: baseline.does, raw: median(rates[b]!), eventwire: median(ours), ratio: median(ratios), lowest: Math.min(...ratios), highest: Math.max(...ratios) };
    console.log(`${broker} ${scenario} vs ${baseline.does}: raw ${Math.round(row.raw)}/s, eventwire ${Math.round(row.eventwire)}/s, ratio ${row.ratio.toFixed(2)}x (rounds: ${ratios.map((x) => x.toFixed(2)).join(' ')})`);
    return row;
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const xadd = 'XADD (no idempotence)';
const luaOnce = 'Lua SET NX PX + XADD (idempotent)';
const batchedRun = { count: events, slice: 500 };
const unbatchedRun = { count: unbatchedEvents, slice: 50 };
const rows: Row[] = [];
rows.push(
  ...(await comparePublish(
    'Redis Streams',
    `publish, batched (${batchSize}/call)`,
    [
      { does: `${xadd}, pipelined`, run: () => redisPublish.rawXadd(true) },
      { does: `${luaOnce}, pipelined`, run: () => redisPublish.rawIdempotent(true) },
    ],
    () => redisPublish.eventwire(true),
    batchedRun,
  )),
);
rows.push(
  ...(await comparePublish(
    'Redis Streams',
    'publish, unbatched (1 awaited call/event)',
    [
      { does: xadd, run: () => redisPublish.rawXadd(false) },
      { does: luaOnce, run: () => redisPublish.rawIdempotent(false) },
    ],
    () => redisPublish.eventwire(false),
    unbatchedRun,
  )),
);
rows.push(
  ...(await comparePublish('Redis Streams', 'publish, unbatched, `deduplicate: false`', [{ does: xadd, run: () => redisPublish.rawXadd(false) }], () => redisPublish.eventwire(false, false), unbatchedRun)),
);
rows.push(
  ...(await compare('Redis Streams', 'end to end (publish batched, consume to handler)', [{ does: 'pipelined XADD; XREADGROUP + XACK', run: () => redisCases.rawEndToEnd() }], () => redisCases.eventwireEndToEnd())),
);
rows.push(
  ...(await comparePublish('NATS JetStream', `publish, batched (${batchSize}/call)`, [{ does: 'js.publish with Nats-Msg-Id, 100 in flight', run: () => natsPublish.raw(true) }], () => natsPublish.eventwire(true), batchedRun)),
);
rows.push(
  ...(await comparePublish('NATS JetStream', 'publish, unbatched (1 awaited call/event)', [{ does: 'js.publish with Nats-Msg-Id', run: () => natsPublish.raw(false) }], () => natsPublish.eventwire(false), unbatchedRun)),
);
rows.push(...(await compare('NATS JetStream', 'end to end (publish batched, consume to handler)', [{ does: 'js.publish; pull consume + ack', run: () => natsCases.rawEndToEnd() }], () => natsCases.eventwireEndToEnd())));
await nc.close();
admin.disconnect();
raw.disconnect();

const format = (value: number) => Math.round(value).toLocaleString('en-US');
const table = [
  '## Brokers: eventwire transports vs the raw clients (Node)',
  '',
  `Events/s, medians of ${rounds} rounds after a warm-up round; the ratio is the median of the per-round ratios (lowest and highest`,
  'round in the last column). Publish rows interleave the sides within a round (slices of 500 events batched, 50 unbatched, each',
  "side in turn, each side's own time added up), so load on the shared machine hits them alike; end-to-end rows run each side",
  'whole, back to back, in rotating order.',
  `${events.toLocaleString('en-US')} events per batched or end-to-end run, ${unbatchedEvents.toLocaleString('en-US')} per unbatched run; the machine's Redis 7.0 and nats-server 2.9`,
  '(JetStream, file storage). Raw = ioredis / @nats-io with the same CloudEvents JSON bodies, XREADGROUP + XACK or pull consume +',
  'ack, JSON.parse and a handler; the column "raw client does" says what else. eventwire adds sender-batch grouping, registry',
  'decoding and bus dispatch through `connect`. Target >= 0.8x, judged against the raw client doing the same work.',
  '',
  '| broker | scenario | raw client does | raw client | eventwire | eventwire / raw | rounds (min-max) |',
  '|---|---|---|---:|---:|---:|---:|',
  ...rows.map((row) => `| ${row.broker} | ${row.scenario} | ${row.rawDoes} | ${format(row.raw)} | ${format(row.eventwire)} | ${row.ratio.toFixed(2)}x | ${row.lowest.toFixed(2)}-${row.highest.toFixed(2)} |`),
  '',
  ...notes(),
  '',
  'Rerun: `npm run bench -- brokers` (env: BENCH_EVENTS, BENCH_UNBATCHED_EVENTS, BENCH_ROUNDS).',
].join('\n');
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/brokers.md', `${table}\n`);
console.log(`\n${table}`);

/** The prose under the table (kept here so a rerun does not lose it). */
function notes(): string[] {
  return [
    "Which Redis row the target is judged on: eventwire's publish is idempotent by event id (re-sending a batch after a lost reply",
    'adds nothing), so the raw client doing the same work is the row "Lua SET NX PX + XADD": what one writes by hand on Redis 7.0,',
    'which has no idempotent XADD, with the script registered through ioredis `defineCommand`. The plain XADD rows are kept to show',
    'what idempotence itself costs: they do less (a re-sent event is appended again). For one event eventwire runs one EVALSHA of a',
    'script doing SET NX PX then XADD; INFO commandstats on this machine puts that at about 8 us of Redis time against about 2 us',
    'for a bare XADD (each `redis.call` inside Lua costs about 2.5 us more than the command sent directly). That gap is fixed, so the',
    'unbatched ratio against plain XADD depends on how long one awaited round trip takes: the shorter (quieter machine), the lower.',
    'With `deduplicate: false` a one-event send is a plain XADD, the same work as the raw row. Batched, eventwire sends 100 events as',
    'one script call where the raw client pipelines 100 commands.',
  ];
}
