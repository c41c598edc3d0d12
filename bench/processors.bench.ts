/**
 * Processors and systems benchmark, in one Node process:
 * 1. dispatch of events to a processor's handlers by type: eventwire's EventProcessor (handlers
 *    found by @handles decorators, or added with this.on) against a hand-written switch (the
 *    floor) and mitt (type-keyed emitter);
 * 2. the dog school system: commands per second through the SingleThreadedRunner and the
 *    ConcurrentRunner (each command stored, then processed with tracking), against the same
 *    commands with the counters kept in a plain Map (no tracking, no counter aggregates).
 * Writes bench/results/processors.md.
 *
 * Run: npm run bench -- processors
 */
import { writeFileSync } from 'node:fs';
import { ConcurrentRunner, defineEvent, EventProcessor, handles, SingleThreadedRunner, type AnyEvent, type EventOf } from '@eventwire/core';
import mittModule from 'mitt';
import { z } from 'zod';
import { DogSchool } from '../examples/dog-school/dogSchool.js';
import { TrickAdded } from '../examples/dog-school/events.js';
import { dogSchoolSystem, TrickCounters } from '../examples/dog-school/system.js';

const ROUNDS = 7;
const DISPATCHES = 1_000_000;
const COMMANDS = 1_000;

/** mitt ships CommonJS types; under NodeNext its default import types as the module. */
type Emitter = { on(type: string, handler: (event: AnyEvent) => void): void; emit(type: string, event: AnyEvent): void };
const mitt = ((mittModule as { default?: unknown }).default ?? mittModule) as () => Emitter;

const types = Array.from({ length: 10 }, (_, i) => defineEvent(`Bench${i}`, z.object({ n: z.number() })));
const events: AnyEvent[] = types.map((type, i) => type.create({ n: i }));
let sink = 0;

class Decorated extends EventProcessor {
  @handles(types[0]!) on0(e: EventOf<(typeof types)[0]>) { sink += e.data.n; }
  @handles(types[1]!) on1(e: EventOf<(typeof types)[1]>) { sink += e.data.n; }
  @handles(types[2]!) on2(e: EventOf<(typeof types)[2]>) { sink += e.data.n; }
  @handles(types[3]!) on3(e: EventOf<(typeof types)[3]>) { sink += e.data.n; }
  @handles(types[4]!) on4(e: EventOf<(typeof types)[4]>) { sink += e.data.n; }
  @handles(types[5]!) on5(e: EventOf<(typeof types)[5]>) { sink += e.data.n; }
  @handles(types[6]!) on6(e: EventOf<(typeof types)[6]>) { sink += e.data.n; }
  @handles(types[7]!) on7(e: EventOf<(typeof types)[7]>) { sink += e.data.n; }
  @handles(types[8]!) on8(e: EventOf<(typeof types)[8]>) { sink += e.data.n; }
  @handles(types[9]!) on9(e: EventOf<(typeof types)[9]>) { sink += e.data.n; }
}

const add = (e: AnyEvent) => {
  sink += (e.data as { n: number }).n;
};

/** Each contender writes its own loop, so that every call site stays monomorphic. */
const dispatchers: { name: string; make: () => (count: number) => void }[] = [
  {
    name: 'hand-written switch on event.type (floor)',
    make: () => (count) => {
      for (let i = 0; i < count; i++) {
        const event = events[i % 10]!;
        switch (event.type) {
          case 'Bench0': case 'Bench1': case 'Bench2': case 'Bench3': case 'Bench4':
          case 'Bench5': case 'Bench6': case 'Bench7': case 'Bench8': case 'Bench9':
            add(event);
        }
      }
    },
  },
  {
    name: 'eventwire EventProcessor, @handles methods',
    make: () => {
      const p = new Decorated();
      return (count) => {
        for (let i = 0; i < count; i++) p.handle(events[i % 10]!);
      };
    },
  },
  {
    name: 'eventwire EventProcessor, this.on handlers',
    make: () => {
      const p = new EventProcessor();
      for (const type of types) p.on(type, add);
      return (count) => {
        for (let i = 0; i < count; i++) p.handle(events[i % 10]!);
      };
    },
  },
  {
    name: 'mitt 3 (emit by type)',
    make: () => {
      const emitter = mitt();
      for (const type of types) emitter.on(type.type, add);
      return (count) => {
        for (let i = 0; i < count; i++) {
          const event = events[i % 10]!;
          emitter.emit(event.type, event);
        }
      };
    },
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median ns per event of each dispatcher; rounds interleave the contenders after a warm-up. */
function benchDispatch(): number[] {
  const loops = dispatchers.map(({ make }) => make());
  const samples = loops.map(() => [] as number[]);
  for (let round = -1; round < ROUNDS; round++) {
    for (const [d, loop] of loops.entries()) {
      const start = performance.now();
      loop(DISPATCHES);
      if (round >= 0) samples[d]!.push(((performance.now() - start) * 1e6) / DISPATCHES);
    }
  }
  return samples.map(median);
}

const tricks = ['sit', 'fetch', 'roll over', 'shake', 'play dead'];

async function teach(school: { registerDog: DogSchool['registerDog']; addTrick: DogSchool['addTrick'] }): Promise<void> {
  const dogs = await Promise.all(Array.from({ length: 20 }, (_, i) => school.registerDog(`dog-${i}`)));
  for (let i = 0; i < COMMANDS; i++) await school.addTrick(dogs[i % dogs.length]!, tricks[i % tricks.length]!);
}

const systems: { name: string; run: () => Promise<void> }[] = [
  {
    name: 'DogSchool alone + counts in a Map (no tracking)',
    run: async () => {
      const counts = new Map<string, number>();
      const school = new DogSchool();
      school.onAppended((stored) => {
        for (const { event } of stored) if (TrickAdded.is(event)) counts.set(event.data.trick, (counts.get(event.data.trick) ?? 0) + 1);
      });
      await teach(school);
    },
  },
  {
    name: 'SingleThreadedRunner (processed before each command returns)',
    run: async () => {
      const runner = new SingleThreadedRunner(dogSchoolSystem);
      await runner.start();
      await teach(runner.get(DogSchool));
      if ((await runner.get(TrickCounters).getCount('sit')) !== COMMANDS / tricks.length) throw new Error('wrong count');
      await runner.stop();
    },
  },
  {
    name: 'ConcurrentRunner (commands, then settled)',
    run: async () => {
      const runner = new ConcurrentRunner(dogSchoolSystem);
      await runner.start();
      await teach(runner.get(DogSchool));
      await runner.settled();
      if ((await runner.get(TrickCounters).getCount('sit')) !== COMMANDS / tricks.length) throw new Error('wrong count');
      await runner.stop();
    },
  },
];

const lines: string[] = [
  '## Processors and systems (Node, in-memory)',
  '',
  `\`npm run bench -- processors\` · Node ${process.version} · median of ${ROUNDS} rounds`,
  '',
  `Dispatch by type, 10 event types round-robin, one sync handler each, ${DISPATCHES.toLocaleString('en')} events per round (lower is better):`,
  '',
  '| contender | ns/event | this ÷ floor |',
  '|---|---:|---:|',
];
const dispatchTimes = benchDispatch();
const dispatchResults = dispatchers.map((d, i) => ({ name: d.name, ns: dispatchTimes[i]! }));
const floor = dispatchResults[0]!.ns;
for (const r of dispatchResults) lines.push(`| ${r.name} | ${r.ns.toFixed(2)} | ${(r.ns / floor).toFixed(2)}× |`);

lines.push('', `Dog school, 20 dogs, ${COMMANDS.toLocaleString('en')} addTrick commands awaited one by one (higher is better):`, '', '| contender | commands/s | this ÷ Map baseline |', '|---|---:|---:|');
// Rounds interleave the contenders, after one warm-up run each, so JIT and GC phases hit all alike.
const systemSamples = systems.map(() => [] as number[]);
for (const system of systems) await system.run();
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, system] of systems.entries()) {
    const start = performance.now();
    await system.run();
    systemSamples[i]!.push(COMMANDS / ((performance.now() - start) / 1000));
  }
}
const systemResults = systems.map((system, i) => ({ name: system.name, perSecond: median(systemSamples[i]!) }));
const baseline = systemResults[0]!.perSecond;
for (const r of systemResults) lines.push(`| ${r.name} | ${Math.round(r.perSecond).toLocaleString('en')} | ${(r.perSecond / baseline).toFixed(2)}× |`);
lines.push(
  '',
  'The counters rebuild their Counter aggregate from its stream for each event (as the reference does without snapshots), so the cost per event grows with the counts.',
);

const table = lines.join('\n');
console.log(table);
if (sink === 42) console.log(''); // keep the handlers' work observable
writeFileSync('bench/results/processors.md', `${table}\n`);
