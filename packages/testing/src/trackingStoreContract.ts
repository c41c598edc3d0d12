import { defineEvent, isConcurrencyError, type AnyEvent, type TrackingEventStore } from '@eventwire/core';
import { describe, expect, it } from 'vitest';
import { objectSchema } from './fixtures.js';

const Incremented = defineEvent(
  'ContractCounterIncremented',
  objectSchema<{ n: number }>({ n: 'number' }),
  { aggregateType: 'Counter' },
);

/** Makes a fresh, empty store; `name` is unique per test (for database names). */
export type TrackingStoreFactory = (name: string) => Promise<TrackingEventStore> | TrackingEventStore;

let sequence = 0;

/**
 * The contract of {@link TrackingEventStore}: what process applications rely on to process
 * each upstream event exactly once. Run it against every store that implements tracking.
 *
 * @example
 * ```ts
 * testTrackingStoreContract('InMemoryEventStore', () => new InMemoryEventStore());
 * ```
 */
export function testTrackingStoreContract(storeName: string, factory: TrackingStoreFactory): void {
  const fresh = () => factory(`tracking-contract-${Date.now()}-${++sequence}`);
  const events = (count: number, from = 1): AnyEvent[] => Array.from({ length: count }, (_, i) => Incremented.create({ n: from + i }));
  const tracking = (position: number) => ({ consumer: 'Counters', upstream: 'School', position });

  describe(`${storeName}: tracking store contract`, () => {
    it('writes several streams and the tracking position together', async () => {
      const store = await fresh();
      const results = await store.appendTracked(
        [
          { streamId: 'Counter-a', events: events(2), expectedVersion: 0 },
          { streamId: 'Counter-b', events: events(1), expectedVersion: 'noStream' },
        ],
        tracking(7),
      );
      expect(results.map((r) => [r.streamId, r.streamVersion])).toEqual([
        ['Counter-a', 2],
        ['Counter-b', 1],
      ]);
      expect(await store.getTrackedPosition('Counters', 'School')).toBe(7);
      expect((await store.readAll()).map((s) => [s.streamId, s.version, s.position])).toEqual([
        ['Counter-a', 1, 1],
        ['Counter-a', 2, 2],
        ['Counter-b', 1, 3],
      ]);
    });

    it('records tracking with no events (an upstream event the policy ignored)', async () => {
      const store = await fresh();
      await store.appendTracked([], tracking(3));
      expect(await store.getTrackedPosition('Counters', 'School')).toBe(3);
      expect(await store.getLastPosition()).toBe(0);
    });

    it('refuses a position already processed, and writes nothing then', async () => {
      const store = await fresh();
      await store.appendTracked([{ streamId: 'Counter-a', events: events(1) }], tracking(5));
      for (const position of [5, 4]) {
        const error = await store.appendTracked([{ streamId: 'Counter-a', events: events(1, 10) }], tracking(position)).catch((e: unknown) => e);
        expect(isConcurrencyError(error)).toBe(true);
      }
      expect(await store.getStreamVersion('Counter-a')).toBe(1);
      expect(await store.getTrackedPosition('Counters', 'School')).toBe(5);
    });

    it('writes nothing, tracking included, when one stream has a version conflict', async () => {
      const store = await fresh();
      await store.append('Counter-b', events(1));
      const error = await store
        .appendTracked(
          [
            { streamId: 'Counter-a', events: events(1), expectedVersion: 0 },
            { streamId: 'Counter-b', events: events(1, 5), expectedVersion: 0 },
          ],
          tracking(1),
        )
        .catch((e: unknown) => e);
      expect(isConcurrencyError(error)).toBe(true);
      expect(await store.getStreamVersion('Counter-a')).toBe(0);
      expect(await store.getTrackedPosition('Counters', 'School')).toBe(0);
    });

    it('keeps positions per consumer and upstream', async () => {
      const store = await fresh();
      await store.appendTracked([], { consumer: 'Counters', upstream: 'School', position: 2 });
      await store.appendTracked([], { consumer: 'Counters', upstream: 'Kennel', position: 9 });
      await store.appendTracked([], { consumer: 'Stats', upstream: 'School', position: 1 });
      expect(await store.getTrackedPosition('Counters', 'School')).toBe(2);
      expect(await store.getTrackedPosition('Counters', 'Kennel')).toBe(9);
      expect(await store.getTrackedPosition('Stats', 'School')).toBe(1);
      expect(await store.getTrackedPosition('Stats', 'Kennel')).toBe(0);
    });

    it('lets exactly one of two concurrent writers record the same position', async () => {
      const store = await fresh();
      const outcomes = await Promise.allSettled([
        store.appendTracked([{ streamId: 'Counter-a', events: events(1) }], tracking(1)),
        store.appendTracked([{ streamId: 'Counter-a', events: events(1, 2) }], tracking(1)),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await store.getStreamVersion('Counter-a')).toBe(1);
    });

    it('wakes live subscribers with the tracked events', async () => {
      const store = await fresh();
      const seen: number[] = [];
      let resolveSeen!: () => void;
      const done = new Promise<void>((resolve) => (resolveSeen = resolve));
      const stop = store.subscribe((stored) => {
        seen.push(stored.position);
        if (seen.length === 2) resolveSeen();
      });
      await store.appendTracked([{ streamId: 'Counter-a', events: events(2) }], tracking(1));
      await done;
      stop();
      expect(seen).toEqual([1, 2]);
    });

    it('refuses a tracking record without consumer, upstream or a valid position', async () => {
      const store = await fresh();
      for (const bad of [{ consumer: '', upstream: 'School', position: 1 }, { consumer: 'C', upstream: 'School', position: 0 }]) {
        const error = await store.appendTracked([], bad).catch((e: unknown) => e);
        expect((error as { code?: string }).code).toBe('INVALID_ARGUMENT');
      }
    });
  });
}
