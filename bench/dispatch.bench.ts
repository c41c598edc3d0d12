/**
 * Dispatch benchmark: eventwire's InMemoryEventBus against nanoevents, mitt and eventemitter3,
 * in one Node process, in the shapes of BASELINES.md. Prints ns per event per handler and
 * ratios, and writes bench/results/dispatch.md.
 *
 * Run: npm run bench -- dispatch
 */
import { writeFileSync } from 'node:fs';
import { InMemoryEventBus, type AnyEvent } from '@eventwire/core';
import EventEmitterImport from 'eventemitter3';
import mittImport from 'mitt';
import { createNanoEvents } from 'nanoevents';

// Both are CommonJS with `export default` typings: Node hands over module.exports itself,
// while TypeScript (NodeNext) expects it under `.default`. Take whichever is there.
function interop<T>(imported: unknown): T {
  return (typeof imported === 'function' ? imported : (imported as { default: T }).default) as T;
}
const mitt = interop<typeof mittImport.default>(mittImport);
const EventEmitter = interop<typeof EventEmitterImport.default>(EventEmitterImport);

const ROUNDS = 9;
const SYNC_EMITS = 1_000_000;
const ASYNC_EMITS = 200_000;

let sink = 0;
const handler = (_event: AnyEvent): void => {
  sink += 1;
};
const asyncHandler = async (_event: AnyEvent): Promise<void> => {
  sink += 1;
};

function makeEvents(types: number): AnyEvent[] {
  return Array.from({ length: types }, (_, i) =>
    Object.freeze({ id: `e${i}`, type: `Type${i}`, data: { n: i }, occurredAt: new Date(0).toISOString() }),
  );
}

/** Runs `count` emits round-robin over `events`; each contender has its own loop, so every call site stays monomorphic. */
type Loop = (events: AnyEvent[], count: number) => void;
type Contender = { name: string; setup: (events: AnyEvent[], handlersPerType: number) => Loop };

const syncContenders: Contender[] = [
  {
    name: 'eventwire publishSync',
    setup(events, perType) {
      const bus = new InMemoryEventBus({ onHandlerError: () => {} });
      for (const event of events) for (let h = 0; h < perType; h++) bus.subscribe(event.type, handler);
      return (events, count) => {
        const n = events.length;
        for (let i = 0; i < count; i++) bus.publishSync(events[i % n]!);
      };
    },
  },
  {
    name: 'nanoevents 9',
    setup(events, perType) {
      const emitter = createNanoEvents<Record<string, (event: AnyEvent) => void>>();
      for (const event of events) for (let h = 0; h < perType; h++) emitter.on(event.type, handler);
      return (events, count) => {
        const n = events.length;
        for (let i = 0; i < count; i++) {
          const event = events[i % n]!;
          emitter.emit(event.type, event);
        }
      };
    },
  },
  {
    name: 'mitt 3',
    setup(events, perType) {
      const emitter = mitt<Record<string, AnyEvent>>();
      for (const event of events) for (let h = 0; h < perType; h++) emitter.on(event.type, handler);
      return (events, count) => {
        const n = events.length;
        for (let i = 0; i < count; i++) {
          const event = events[i % n]!;
          emitter.emit(event.type, event);
        }
      };
    },
  },
  {
    name: 'eventemitter3 5',
    setup(events, perType) {
      const emitter = new EventEmitter();
      for (const event of events) for (let h = 0; h < perType; h++) emitter.on(event.type, handler);
      return (events, count) => {
        const n = events.length;
        for (let i = 0; i < count; i++) {
          const event = events[i % n]!;
          emitter.emit(event.type, event);
        }
      };
    },
  },
];

/**
 * CPU time in ns, not wall time: this machine's cores are shared, and a round during which the
 * process waited for a core would otherwise count the wait (wall-clock rounds of one contender
 * swung 2x from run to run; CPU-time rounds stay within ~15%).
 */
function cpuNs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) * 1000;
}

function timeSync(loop: Loop, events: AnyEvent[], count: number): number {
  const start = process.cpuUsage();
  loop(events, count);
  return cpuNs(start);
}

async function timeAsync(emit: (event: AnyEvent) => Promise<unknown>, event: AnyEvent, count: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) await emit(event);
  return cpuNs(start);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Row {
  shape: string;
  results: { name: string; ns: number }[];
}

function syncShape(shape: string, types: number, perType: number): Row {
  const events = makeEvents(types);
  const emits = syncContenders.map((c) => ({ name: c.name, emit: c.setup(events, perType) }));
  const samples = new Map<string, number[]>(emits.map((e) => [e.name, []]));
  for (const { emit } of emits) timeSync(emit, events, SYNC_EMITS / 4); // warm up every contender first
  for (let round = 0; round < ROUNDS; round++) {
    for (const { name, emit } of emits) samples.get(name)!.push(timeSync(emit, events, SYNC_EMITS) / SYNC_EMITS / perType);
  }
  return { shape, results: emits.map(({ name }) => ({ name, ns: median(samples.get(name)!) })) };
}

async function asyncShape(shape: string, handlers: number, contenders: { name: string; emit: (event: AnyEvent) => Promise<unknown> }[]): Promise<Row> {
  const [event] = makeEvents(1);
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (const { emit } of contenders) await timeAsync(emit, event!, ASYNC_EMITS / 4);
  for (let round = 0; round < ROUNDS; round++) {
    for (const { name, emit } of contenders) samples.get(name)!.push((await timeAsync(emit, event!, ASYNC_EMITS)) / ASYNC_EMITS / handlers);
  }
  return { shape, results: contenders.map(({ name }) => ({ name, ns: median(samples.get(name)!) })) };
}

function busWith(fn: (event: AnyEvent) => unknown, count: number): InMemoryEventBus {
  const bus = new InMemoryEventBus({ onHandlerError: () => {} });
  for (let h = 0; h < count; h++) bus.subscribe('Type0', fn);
  return bus;
}

const rows: Row[] = [
  syncShape('1 type × 1 handler', 1, 1),
  syncShape('1 type × 10 handlers', 1, 10),
  syncShape('100 types round-robin × 1 handler', 100, 1),
];

const syncHandlers = Array.from({ length: 10 }, () => handler);
const awaitedSync = busWith(handler, 10);
rows.push(
  await asyncShape('awaited publish, 10 sync handlers', 10, [
    { name: 'eventwire await publish', emit: (event) => awaitedSync.publish(event) },
    {
      name: 'bare async emit',
      emit: async (event) => {
        for (const h of syncHandlers) h(event);
      },
    },
  ]),
);

const asyncHandlers = Array.from({ length: 10 }, () => asyncHandler);
const awaitedAsync = busWith(asyncHandler, 10);
rows.push(
  await asyncShape('10 async handlers', 10, [
    { name: 'eventwire await publish', emit: (event) => awaitedAsync.publish(event) },
    {
      name: 'try/await per handler + Promise.all',
      emit: (event) =>
        Promise.all(
          asyncHandlers.map(async (h) => {
            try {
              await h(event);
            } catch {
              // isolated
            }
          }),
        ),
    },
  ]),
);

const lines = [
  '## Dispatch (Node, in-memory)',
  '',
  `\`npm run bench -- dispatch\` · Node ${process.version} · median of ${ROUNDS} rounds of CPU time (${SYNC_EMITS.toLocaleString('en')} emits sync, ${ASYNC_EMITS.toLocaleString('en')} awaited) · ns per event per handler (lower is better) · eventwire with error isolation and stats on.`,
  '',
  '| shape | contender | ns/event/handler | eventwire ÷ this |',
  '|---|---|---:|---:|',
];
for (const row of rows) {
  const ours = row.results[0]!.ns;
  for (const result of row.results) {
    lines.push(`| ${row.shape} | ${result.name} | ${result.ns.toFixed(2)} | ${result === row.results[0] ? '1.00×' : `${(ours / result.ns).toFixed(2)}×`} |`);
  }
}
lines.push(
  '',
  'Targets (issue 2): `publishSync` within 1.2× of nanoevents per event per handler in each sync shape; awaited `publish` within 1.3× of a bare async emit. A ratio below 1.00× means eventwire is faster.',
);
const table = lines.join('\n');
console.log(table);
writeFileSync(new URL('./results/dispatch.md', import.meta.url), `${table}\n`);
if (sink === 0) console.log('(sink)');
