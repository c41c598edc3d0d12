import { isConcurrencyError } from '@eventwire/core';
import type { AnyEvent, EventStore, ExpectedVersion, StoredEvent } from '@eventwire/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { placed } from './fixtures.js';
import type { StoreContractSetup } from './storeContract.js';

/** The plain model the store is checked against: a log and the ids seen. */
interface Model {
  log: { streamId: string; version: number; position: number; id: string }[];
  events: AnyEvent[];
}

interface Real {
  store: EventStore;
}

const streams = ['A', 'B', 'C'] as const;
type Expectation = 'any' | 'noStream' | 'streamExists' | 'current' | 'stale' | 'ahead';

/** One append of the model test: which stream, which events (new, or an earlier one again). */
interface AppendSpec {
  readonly stream: number;
  /** -1 for a new event, else an index into the events created so far. */
  readonly picks: readonly number[];
  readonly expectation: Expectation;
}

const appendSpec = fc.record({
  stream: fc.nat({ max: streams.length - 1 }),
  picks: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat({ max: 40 }) }), { maxLength: 4 }),
  expectation: fc.constantFrom<Expectation>('any', 'noStream', 'streamExists', 'current', 'stale', 'ahead'),
});

/**
 * The fast-check model test of the store contract: random sequences of appends (alone and
 * issued together), conflicts, retries of stored events, reads, subscriptions and reopens,
 * checked step by step against a plain model. Part of `testEventStoreContract`.
 * @internal
 */
export function testEventStoreModel(setup: StoreContractSetup): void {
  describe('model', () => {
    it(`agrees with a plain model (${setup.modelRuns ?? 200} runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.commands(commandArbitraries(setup), { maxCommands: 25 }), async (commands) => {
          const real: Real = { store: await setup.create() };
          try {
            await fc.asyncModelRun(() => ({ model: { log: [], events: [] }, real }), commands);
          } finally {
            await real.store.close?.();
          }
        }),
        { numRuns: setup.modelRuns ?? 200 },
      );
    }, 600_000);
  });
}

function commandArbitraries(setup: StoreContractSetup): fc.Arbitrary<fc.AsyncCommand<Model, Real>>[] {
  const list: fc.Arbitrary<fc.AsyncCommand<Model, Real>>[] = [
    appendSpec.map((spec) => new AppendCommand([spec])),
    fc.array(appendSpec, { minLength: 2, maxLength: 5 }).map((specs) => new AppendCommand(specs)),
    fc.record({ stream: fc.nat({ max: streams.length - 1 }), from: fc.nat({ max: 6 }), limit: fc.option(fc.nat({ max: 5 }), { nil: undefined }) }).map((args) => new ReadStreamCommand(args.stream, args.from, args.limit)),
    fc.record({ from: fc.nat({ max: 30 }), limit: fc.option(fc.nat({ max: 8 }), { nil: undefined }) }).map((args) => new ReadAllCommand(args.from, args.limit)),
    fc.nat({ max: 30 }).map((from) => new SubscribeCommand(from)),
  ];
  if (setup.reopen !== undefined) {
    const reopen = setup.reopen;
    list.push(fc.constant(new ReopenCommand(reopen)));
  }
  return list;
}

class AppendCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly specs: readonly AppendSpec[]) {}

  check(): boolean {
    return true;
  }

  async run(model: Model, real: Real): Promise<void> {
    const calls = this.specs.map((spec) => {
      const streamId = streams[spec.stream] ?? 'A';
      const events = spec.picks.map((pick) => (pick < 0 || pick >= model.events.length ? this.#newEvent(model) : (model.events[pick] as AnyEvent)));
      return { streamId, events, expectedVersion: expectedFor(spec.expectation, versionOf(model, streamId)) };
    });
    // Issued together (group commit in stores that have one); the model applies them in call order.
    const settled = await Promise.allSettled(calls.map((call) => real.store.append(call.streamId, call.events, { expectedVersion: call.expectedVersion })));
    calls.forEach((call, i) => {
      const outcome = settled[i];
      const expected = applyToModel(model, call.streamId, call.events, call.expectedVersion);
      if (expected === 'conflict') {
        expect(outcome?.status === 'rejected' && isConcurrencyError(outcome.reason), `append ${i} should conflict`).toBe(true);
        return;
      }
      expect(outcome?.status, `append ${i}: ${outcome?.status === 'rejected' ? String(outcome.reason) : ''}`).toBe('fulfilled');
      if (outcome?.status !== 'fulfilled') return;
      expect(outcome.value.stored.map(toRow)).toEqual(expected.stored);
      expect(outcome.value.duplicates).toBe(expected.duplicates);
      expect(outcome.value.streamVersion).toBe(versionOf(model, call.streamId));
    });
  }

  #newEvent(model: Model): AnyEvent {
    const event = placed(`model-${model.events.length}`, model.events.length);
    model.events.push(event);
    return event;
  }

  toString(): string {
    return `append(${this.specs.map((s) => `${streams[s.stream]}:${s.picks.join('/')}:${s.expectation}`).join(' | ')})`;
  }
}

class ReadStreamCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly stream: number,
    readonly from: number,
    readonly limit: number | undefined,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const streamId = streams[this.stream] ?? 'A';
    const options = this.limit === undefined ? { fromVersion: this.from } : { fromVersion: this.from, limit: this.limit };
    const expected = model.log.filter((row) => row.streamId === streamId && row.version >= Math.max(this.from, 1)).slice(0, this.limit ?? Infinity);
    expect((await real.store.readStream(streamId, options)).map(toRow)).toEqual(expected);
    expect(await real.store.getStreamVersion(streamId)).toBe(versionOf(model, streamId));
  }
  toString(): string {
    return `readStream(${streams[this.stream]}, ${this.from}, ${this.limit})`;
  }
}

class ReadAllCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly from: number,
    readonly limit: number | undefined,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const options = this.limit === undefined ? { fromPosition: this.from } : { fromPosition: this.from, limit: this.limit };
    const expected = model.log.filter((row) => row.position >= Math.max(this.from, 1)).slice(0, this.limit ?? Infinity);
    expect((await real.store.readAll(options)).map(toRow)).toEqual(expected);
    expect(await real.store.getLastPosition()).toBe(model.log.length);
  }
  toString(): string {
    return `readAll(${this.from}, ${this.limit})`;
  }
}

class SubscribeCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly from: number) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    // From at most one past the end, so that the marker below is always delivered.
    const from = Math.min(this.from, model.log.length + 1);
    const expected = model.log.filter((row) => row.position >= Math.max(from, 1));
    const seen: StoredEvent[] = [];
    // A marker appended after subscribing proves both catch-up and the live part.
    const marker = placed('marker', -1);
    model.events.push(marker);
    const outcome = applyToModel(model, 'Marker', [marker], 'any');
    const markerRow = outcome === 'conflict' ? undefined : outcome.stored[0];
    let stop = (): void => {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reached = new Promise<void>((resolve, reject) => {
      stop = real.store.subscribe(
        (stored) => {
          seen.push(stored);
          if (stored.event.id === marker.id) resolve();
        },
        { fromPosition: from, onError: reject },
      );
      timer = setTimeout(() => reject(new Error(`subscribe(${from}): the marker was not delivered within 20 s`)), 20_000);
    });
    await real.store.append('Marker', [marker]);
    await reached.finally(() => clearTimeout(timer));
    stop();
    expect(seen.map(toRow)).toEqual([...expected, markerRow]);
  }
  toString(): string {
    return `subscribe(${this.from})`;
  }
}

class ReopenCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly reopen: (store: EventStore) => EventStore | Promise<EventStore>) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    real.store = await this.reopen(real.store);
    expect(await real.store.getLastPosition()).toBe(model.log.length);
  }
  toString(): string {
    return 'reopen';
  }
}

function applyToModel(model: Model, streamId: string, events: readonly AnyEvent[], expectedVersion: ExpectedVersion): 'conflict' | { stored: Model['log']; duplicates: number } {
  const known = new Set(model.log.map((row) => row.id));
  const fresh: AnyEvent[] = [];
  for (const event of events) {
    if (known.has(event.id)) continue;
    known.add(event.id);
    fresh.push(event);
  }
  const current = versionOf(model, streamId);
  if (fresh.length === 0) return { stored: [], duplicates: events.length };
  const ok =
    expectedVersion === 'any' || (expectedVersion === 'noStream' && current === 0) || (expectedVersion === 'streamExists' && current > 0) || expectedVersion === current;
  if (!ok) return 'conflict';
  const stored = fresh.map((event, i) => ({ streamId, version: current + i + 1, position: model.log.length + i + 1, id: event.id }));
  model.log.push(...stored);
  return { stored, duplicates: events.length - fresh.length };
}

function expectedFor(expectation: Expectation, current: number): ExpectedVersion {
  switch (expectation) {
    case 'current':
      return current;
    case 'stale':
      return Math.max(current - 1, 0) === current ? current + 1 : current - 1;
    case 'ahead':
      return current + 2;
    default:
      return expectation;
  }
}

function versionOf(model: Model, streamId: string): number {
  return model.log.filter((row) => row.streamId === streamId).length;
}

function toRow(stored: StoredEvent): Model['log'][number] {
  return { streamId: stored.streamId, version: stored.version, position: stored.position, id: stored.event.id };
}
