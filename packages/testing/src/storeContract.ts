import { isConcurrencyError, isEventwireError } from '@eventwire/core';
import type { AnyEvent, EventStore, StoredEvent } from '@eventwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { placed, registered, shipped } from './fixtures.js';
import { testEventStoreModel } from './storeModel.js';
import { testEventStoreRaces } from './storeRaces.js';

/** How the contract makes stores. */
export interface StoreContractSetup {
  /** A fresh, empty store (a unique database name for persistent stores). */
  create(): EventStore | Promise<EventStore>;
  /**
   * The same data through a new instance, after closing `store`: proves persistence. Omit it
   * for stores that keep nothing (the model test then reopens nothing).
   */
  reopen?(store: EventStore): EventStore | Promise<EventStore>;
  /** Runs of the fast-check model test. @default 200 */
  modelRuns?: number;
}

/**
 * The EventStore contract: what every store keeps (`InMemoryEventStore`, `IndexedDBEventStore`,
 * any future store). Includes racing writers, replayed batches and a fast-check model test of
 * the store against a plain model (append, conflict, read, subscribe, reopen).
 *
 * @param name shown in the test names
 * @param setup a factory of fresh stores, or a {@link StoreContractSetup}
 *
 * @example
 * ```ts
 * import { testEventStoreContract } from '@eventwire/testing';
 * testEventStoreContract('InMemoryEventStore', () => new InMemoryEventStore());
 * ```
 */
export function testEventStoreContract(name: string, setup: StoreContractSetup | (() => EventStore | Promise<EventStore>)): void {
  const options: StoreContractSetup = typeof setup === 'function' ? { create: setup } : setup;
  describe(`EventStore contract: ${name}`, () => {
    const stores: EventStore[] = [];
    const make = async (): Promise<EventStore> => {
      const store = await options.create();
      stores.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of stores.splice(0)) await store.close?.();
    });

    describeAppend(make);
    describeConcurrency(make);
    describeIdempotency(make);
    describeReads(make);
    describeSubscribe(make);
    describeBadInput(make);
    testEventStoreRaces(make);
    testEventStoreModel(options);
  });
}

type Make = () => Promise<EventStore>;

function describeAppend(make: Make): void {
  describe('append', () => {
    it('stores events at consecutive versions and positions and says what it stored', async () => {
      const store = await make();
      const events = [placed(), shipped()];
      const result = await store.append('Order-1', events, { expectedVersion: 0 });
      expect(result.streamId).toBe('Order-1');
      expect(result.streamVersion).toBe(2);
      expect(result.duplicates).toBe(0);
      expect(result.stored.map(summary)).toEqual([
        { streamId: 'Order-1', version: 1, position: 1, id: events[0]?.id },
        { streamId: 'Order-1', version: 2, position: 2, id: events[1]?.id },
      ]);
      const next = await store.append('User-1', [registered()], { expectedVersion: 'noStream' });
      expect(next.stored.map(summary)).toEqual([{ streamId: 'User-1', version: 1, position: 3, id: next.stored[0]?.event.id }]);
    });

    it('keeps the events as they were appended, data and envelope', async () => {
      const store = await make();
      const event = placed('Zoë ✓', 12.5, 'order-9');
      await store.append('Order-9', [event]);
      const [stored] = await store.readStream('Order-9');
      expect(stored?.event).toEqual(event);
    });

    it('gives each of several appends issued together its own result', async () => {
      const store = await make();
      const results = await Promise.all([store.append('A', [placed()]), store.append('B', [placed(), placed()]), store.append('A', [shipped()])]);
      expect(results.map((r) => [r.streamId, r.streamVersion, r.stored.map((s) => s.position)])).toEqual([
        ['A', 1, [1]],
        ['B', 2, [2, 3]],
        ['A', 2, [4]],
      ]);
    });

    it('appends nothing for an empty list', async () => {
      const store = await make();
      const result = await store.append('Order-1', []);
      expect(result).toMatchObject({ streamVersion: 0, stored: [], duplicates: 0 });
      expect(await store.getLastPosition()).toBe(0);
    });
  });
}

function describeConcurrency(make: Make): void {
  describe('optimistic concurrency', () => {
    it('rejects a wrong expected version with ConcurrencyError and stores nothing', async () => {
      const store = await make();
      await store.append('Order-1', [placed()], { expectedVersion: 0 });
      const error = await store.append('Order-1', [shipped(), shipped()], { expectedVersion: 0 }).catch((e: unknown) => e);
      expect(isConcurrencyError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'CONCURRENCY_CONFLICT', streamId: 'Order-1', expectedVersion: 0, actualVersion: 1 });
      expect(await store.getStreamVersion('Order-1')).toBe(1);
      expect(await store.getLastPosition()).toBe(1);
    });

    it('checks noStream, streamExists and any', async () => {
      const store = await make();
      await expect(store.append('S', [placed()], { expectedVersion: 'streamExists' })).rejects.toSatisfy(isConcurrencyError);
      await store.append('S', [placed()], { expectedVersion: 'noStream' });
      await expect(store.append('S', [placed()], { expectedVersion: 'noStream' })).rejects.toSatisfy(isConcurrencyError);
      await store.append('S', [placed()], { expectedVersion: 'streamExists' });
      await store.append('S', [placed()], { expectedVersion: 'any' });
      await store.append('S', [placed()]);
      expect(await store.getStreamVersion('S')).toBe(4);
    });

    it('fails only the conflicting one of appends issued together', async () => {
      const store = await make();
      await store.append('A', [placed()]);
      const settled = await Promise.allSettled([
        store.append('A', [shipped()], { expectedVersion: 1 }),
        store.append('A', [shipped()], { expectedVersion: 1 }),
        store.append('B', [placed()], { expectedVersion: 0 }),
      ]);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(settled[1]?.status === 'rejected' && isConcurrencyError(settled[1].reason)).toBe(true);
      expect((await store.readAll()).map((s) => s.position)).toEqual([1, 2, 3]);
    });

    it('never reuses a position: failed appends leave no gap', async () => {
      const store = await make();
      for (let i = 0; i < 5; i++) {
        await store.append('A', [placed()], { expectedVersion: i });
        await store.append('A', [placed()], { expectedVersion: i }).catch(() => undefined);
      }
      expect((await store.readAll()).map((s) => s.position)).toEqual([1, 2, 3, 4, 5]);
    });
  });
}

function describeIdempotency(make: Make): void {
  describe('idempotency by event id', () => {
    it('skips events already stored, also in another stream, and counts them', async () => {
      const store = await make();
      const [a, b, c] = [placed(), placed(), placed()] as const;
      await store.append('A', [a, b]);
      const again = await store.append('A', [a, b]);
      expect(again).toMatchObject({ streamVersion: 2, stored: [], duplicates: 2 });
      const partial = await store.append('A', [b, c]);
      expect(partial.stored.map(summary)).toEqual([{ streamId: 'A', version: 3, position: 3, id: c.id }]);
      expect(partial.duplicates).toBe(1);
      const elsewhere = await store.append('B', [a]);
      expect(elsewhere).toMatchObject({ streamVersion: 0, stored: [], duplicates: 1 });
      expect(await store.getLastPosition()).toBe(3);
    });

    it('stores an id repeated within one call once', async () => {
      const store = await make();
      const a = placed();
      const result = await store.append('A', [a, a, shipped()]);
      expect(result.stored.map((s) => s.version)).toEqual([1, 2]);
      expect(result.duplicates).toBe(1);
    });

    it('treats a retried append as done even when its expected version is now stale', async () => {
      const store = await make();
      const batch = [placed(), shipped()];
      await store.append('A', batch, { expectedVersion: 0 });
      const retried = await store.append('A', batch, { expectedVersion: 0 });
      expect(retried).toMatchObject({ streamVersion: 2, stored: [], duplicates: 2 });
    });

    it('stores an id appended by two calls issued together once', async () => {
      const store = await make();
      const a = placed();
      const [first, second] = await Promise.all([store.append('A', [a]), store.append('B', [a])]);
      expect(first?.stored).toHaveLength(1);
      expect(second).toMatchObject({ stored: [], duplicates: 1 });
      expect(await store.readAll()).toHaveLength(1);
    });
  });
}

function describeReads(make: Make): void {
  describe('reads', () => {
    it('reads a stream in version order from a version, with a limit', async () => {
      const store = await make();
      for (let i = 0; i < 6; i++) await store.append(i % 2 === 0 ? 'A' : 'B', [placed(`c${i}`)]);
      expect((await store.readStream('A')).map((s) => s.version)).toEqual([1, 2, 3]);
      expect((await store.readStream('A', { fromVersion: 2 })).map((s) => [s.version, s.position])).toEqual([
        [2, 3],
        [3, 5],
      ]);
      expect((await store.readStream('A', { fromVersion: 2, limit: 1 })).map((s) => s.version)).toEqual([2]);
      expect(await store.readStream('A', { fromVersion: 9 })).toEqual([]);
      expect(await store.readStream('missing')).toEqual([]);
    });

    it('reads everything in global order from a position (inclusive), with a limit', async () => {
      const store = await make();
      await store.append('A', [placed(), placed()]);
      await store.append('B', [placed()]);
      await store.append('A', [shipped()]);
      const all = await store.readAll();
      expect(all.map((s) => [s.streamId, s.version, s.position])).toEqual([
        ['A', 1, 1],
        ['A', 2, 2],
        ['B', 1, 3],
        ['A', 3, 4],
      ]);
      expect((await store.readAll({ fromPosition: 2, limit: 2 })).map((s) => s.position)).toEqual([2, 3]);
      expect((await store.readAll({ fromPosition: 0 })).map((s) => s.position)).toEqual([1, 2, 3, 4]);
      expect(await store.readAll({ fromPosition: 5 })).toEqual([]);
      expect(await store.readAll({ limit: 0 })).toEqual([]);
    });

    it('pages through a large log without losing or repeating events', async () => {
      const store = await make();
      await Promise.all(Array.from({ length: 40 }, (_, i) => store.append(`S-${i % 7}`, [placed(), shipped()])));
      const paged: number[] = [];
      for (let from = 1; ; ) {
        const page = await store.readAll({ fromPosition: from, limit: 7 });
        if (page.length === 0) break;
        paged.push(...page.map((s) => s.position));
        from = (page[page.length - 1]?.position ?? 0) + 1;
      }
      expect(paged).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
      const stream = await store.readStream('S-3', { fromVersion: 3, limit: 5 });
      expect(stream.map((s) => s.version)).toEqual([3, 4, 5, 6, 7]);
    });

    it('reports stream versions and the last position', async () => {
      const store = await make();
      expect(await store.getLastPosition()).toBe(0);
      expect(await store.getStreamVersion('A')).toBe(0);
      await store.append('A', [placed(), placed()]);
      await store.append('B', [placed()]);
      expect(await store.getStreamVersion('A')).toBe(2);
      expect(await store.getLastPosition()).toBe(3);
    });
  });
}

function describeSubscribe(make: Make): void {
  describe('subscribe', () => {
    it('catches up from a position, then follows live, in order', async () => {
      const store = await make();
      await store.append('A', [placed(), placed(), placed()]);
      const seen: number[] = [];
      const reached = waitForPosition(seen, 5);
      const stop = store.subscribe((stored) => void seen.push(stored.position), { fromPosition: 2 });
      await store.append('B', [placed()]);
      await store.append('A', [shipped()]);
      await reached;
      stop();
      expect(seen).toEqual([2, 3, 4, 5]);
    });

    it('stops delivering after unsubscribe', async () => {
      const store = await make();
      const seen: number[] = [];
      const first = waitForPosition(seen, 1);
      const stop = store.subscribe((stored) => void seen.push(stored.position));
      await store.append('A', [placed()]);
      await first;
      stop();
      await store.append('A', [placed()]);
      await store.readAll();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen).toEqual([1]);
    });

    it('stops at a failing handler, reports it, and resumes from there with a new subscription', async () => {
      const store = await make();
      await store.append('A', [placed(), placed(), placed()]);
      const seen: number[] = [];
      const failed = new Promise<StoredEvent>((resolve) => {
        store.subscribe(
          (stored) => {
            if (stored.position === 2) throw new Error('handler down');
            seen.push(stored.position);
          },
          { onError: (_error, stored) => resolve(stored) },
        );
      });
      expect((await failed).position).toBe(2);
      expect(seen).toEqual([1]);
      const resumed: number[] = [];
      const done = waitForPosition(resumed, 3);
      const stop = store.subscribe((stored) => void resumed.push(stored.position), { fromPosition: 2 });
      await done;
      stop();
      expect(resumed).toEqual([2, 3]);
    });

    it('awaits an async handler before delivering the next event', async () => {
      const store = await make();
      await store.append('A', [placed(), placed(), placed()]);
      const log: string[] = [];
      const done = waitForLength(log, 6);
      const stop = store.subscribe(async (stored) => {
        log.push(`start ${stored.position}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`end ${stored.position}`);
      });
      await done;
      stop();
      expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    });
  });
}

function describeBadInput(make: Make): void {
  describe('bad input', () => {
    it('refuses a bad stream id, a non-event and an uncloneable value with typed errors, then works on', async () => {
      const store = await make();
      const badStream = await store.append('', [placed()]).catch((e: unknown) => e);
      expect(isEventwireError(badStream, 'INVALID_ARGUMENT')).toBe(true);
      const notEvent = await store.append('A', [{ nope: true } as unknown as AnyEvent]).catch((e: unknown) => e);
      expect(isEventwireError(notEvent, 'INVALID_EVENT')).toBe(true);
      const withFunction = { ...placed(), data: { customerName: 'x', totalAmount: 1, callback: () => 1 } } as unknown as AnyEvent;
      const [bad, good] = await Promise.allSettled([store.append('A', [withFunction]), store.append('B', [placed()])]);
      expect(bad?.status === 'rejected' && isEventwireError(bad.reason, 'NOT_SERIALIZABLE')).toBe(true);
      expect(good?.status).toBe('fulfilled');
      expect((await store.readAll()).map((s) => s.streamId)).toEqual(['B']);
    });
  });
}

function summary(stored: StoredEvent): { streamId: string; version: number; position: number; id: string | undefined } {
  return { streamId: stored.streamId, version: stored.version, position: stored.position, id: stored.event.id };
}

/** Resolves when `positions` holds `position` (checked on a short poll; outcomes, not timings). */
export function waitForPosition(positions: readonly number[], position: number): Promise<void> {
  return waitUntil(() => positions.includes(position));
}

function waitForLength(items: readonly unknown[], length: number): Promise<void> {
  return waitUntil(() => items.length >= length);
}

/** Polls `condition` until it holds; rejects after `timeoutMs` (a generous bound for waiting only). */
export function waitUntil(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (condition()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`waitUntil: condition not met within ${timeoutMs} ms`));
      else setTimeout(poll, 2);
    };
    poll();
  });
}
