// Checkpoints + projections, dead letters, outbox, inspection and cross-instance following of
// the IndexedDB store. Run in Chromium (storeFeatures.browser.test.ts) and on fake-indexeddb
// (storeFeatures.node.test.ts).
import { AggregateRepository, AggregateRoot, InMemoryEventBus, ProjectionRunner } from '@eventwire/core';
import type { AnyEvent, ReportedRecord, StoredEvent } from '@eventwire/core';
import { IndexedDBCheckpointStore, IndexedDBDeadLetterStore, IndexedDBEventStore, OutboxRelay } from '@eventwire/store-idb';
import type { ReadModelTransaction } from '@eventwire/store-idb';
import { placed, TestOrderPlaced, uniqueName, waitUntil } from '@eventwire/testing';
import type { IDBPDatabase } from 'idb';
import { describe, expect, it } from 'vitest';

/** A store whose database also holds an `applied` read model: event id -> times applied. */
export function storeWithReadModel(name: string): IndexedDBEventStore {
  return new IndexedDBEventStore({
    name,
    upgrade: (db) => {
      const untyped = db as unknown as IDBPDatabase;
      if (!untyped.objectStoreNames.contains('applied')) untyped.createObjectStore('applied');
    },
  });
}

/** The projection handler of the tests: counts how often each event was applied. */
export async function countApplied(stored: StoredEvent, tx: ReadModelTransaction): Promise<void> {
  const applied = tx.objectStore('applied');
  await applied.put(((await applied.get(stored.event.id)) as number | undefined ?? 0) + 1, stored.event.id);
}

async function appliedCounts(store: IndexedDBEventStore): Promise<number[]> {
  const db = (await store.database()) as unknown as IDBPDatabase;
  return (await db.getAll('applied')) as number[];
}

class Order extends AggregateRoot<{ placed: boolean }> {
  readonly aggregateType = 'TestOrder';
  protected getInitialState(): { placed: boolean } {
    return { placed: false };
  }
  protected apply(state: { placed: boolean }): { placed: boolean } {
    return { ...state, placed: true };
  }
  place(): void {
    this.applyEvent(TestOrderPlaced.create({ customerName: 'Ada', totalAmount: 10 }, this.nextEnvelope()));
  }
}

export function testStoreFeatures(): void {
  describe('projections on IndexedDB checkpoints', () => {
    it('apply each event exactly once across a stop in the middle of catch-up', async () => {
      const name = uniqueName('projection');
      const store = storeWithReadModel(name);
      await Promise.all(Array.from({ length: 300 }, (_, i) => store.append(`S-${i % 7}`, [placed(`c${i}`, i)])));
      const checkpoints = new IndexedDBCheckpointStore(store, { readModelStores: ['applied'] });
      const first = new ProjectionRunner({
        name: 'count',
        store,
        checkpoints,
        batchSize: 25,
        handler: async (stored, tx) => {
          // The first runner dies at position 110, in the middle of its fifth batch.
          if (stored.position === 110) throw new Error('crash');
          await countApplied(stored, tx);
        },
      });
      await expect(first.start()).rejects.toThrow('crash');
      expect(await checkpoints.get('count')).toBe(109);
      expect((await appliedCounts(store)).length).toBe(109);
      await store.close();

      const reopened = storeWithReadModel(name);
      const second = new ProjectionRunner({ name: 'count', store: reopened, checkpoints: new IndexedDBCheckpointStore(reopened, { readModelStores: ['applied'] }), handler: countApplied });
      await second.start();
      await reopened.append('S-1', [placed('live')]);
      await second.waitFor(301);
      second.stop();
      const counts = await appliedCounts(reopened);
      expect(counts).toHaveLength(301);
      expect(counts.every((count) => count === 1)).toBe(true);
      await reopened.close();
    }, 60_000);

    it('two runners of one projection (two tabs) still apply each event once', async () => {
      const name = uniqueName('projection-race');
      const [a, b] = [storeWithReadModel(name), storeWithReadModel(name)];
      await Promise.all(Array.from({ length: 120 }, (_, i) => a.append(`S-${i % 3}`, [placed(`c${i}`)])));
      const runners = [a, b].map((store) => new ProjectionRunner({ name: 'shared', store, batchSize: 10, checkpoints: new IndexedDBCheckpointStore(store, { readModelStores: ['applied'] }), handler: countApplied }));
      await Promise.all(runners.map((runner) => runner.start()));
      for (const runner of runners) runner.stop();
      const counts = await appliedCounts(a);
      expect(counts).toHaveLength(120);
      expect(counts.every((count) => count === 1)).toBe(true);
      await Promise.all([a.close(), b.close()]);
    }, 60_000);

    it('reports checkpoints and stored events to a reporter', async () => {
      const records: ReportedRecord[] = [];
      const reporter = { report: (record: ReportedRecord) => void records.push(record) };
      const store = new IndexedDBEventStore({ name: uniqueName('inspect'), reporter });
      const event = placed();
      await store.append('Order-1', [event]);
      const runner = new ProjectionRunner({ name: 'p', store, checkpoints: new IndexedDBCheckpointStore(store), handler: () => {}, reporter });
      await runner.start();
      runner.stop();
      expect(records).toEqual([
        { type: 'stored', store: `indexeddb:${store.name}`, streamId: 'Order-1', eventId: event.id, version: 1, position: 1 },
        { type: 'checkpoint', projection: 'p', position: 1, lag: 0 },
      ]);
      await store.close();
    });
  });

  describe('dead letters in IndexedDB', () => {
    it('keep letters across instances; replay removes on success, discard removes', async () => {
      const name = uniqueName('dead');
      const records: ReportedRecord[] = [];
      const store = new IndexedDBEventStore({ name });
      let now = 1_000;
      const letters = new IndexedDBDeadLetterStore(store, { reporter: { report: (r) => void records.push(r) }, now: () => now++ });
      const [e1, e2] = [placed('one'), placed('two')];
      await letters.add({ consumer: 'email', event: e1, error: new Error('smtp down'), attempts: 3, position: 1 });
      await letters.add({ consumer: 'email', event: e2, error: new Error('bad address'), attempts: 1 });
      await letters.add({ consumer: 'sms', event: e1, error: new Error('no signal'), attempts: 2 });
      expect(records.map((r) => r.type)).toEqual(['dead-lettered', 'dead-lettered', 'dead-lettered']);
      await store.close();

      const reopened = new IndexedDBEventStore({ name });
      const again = new IndexedDBDeadLetterStore(reopened);
      const email = await again.list({ consumer: 'email' });
      expect(email.map((l) => [l.event.id, l.attempts, l.error.message])).toEqual([
        [e1.id, 3, 'smtp down'],
        [e2.id, 1, 'bad address'],
      ]);
      const handled: AnyEvent[] = [];
      await expect(again.replay(email[0]?.id ?? '', () => Promise.reject(new Error('still down')))).rejects.toThrow('still down');
      expect((await again.get(email[0]?.id ?? ''))?.attempts).toBe(4);
      await again.replay(email[0]?.id ?? '', (letter) => void handled.push(letter.event));
      expect(handled.map((e) => e.id)).toEqual([e1.id]);
      expect(await again.discard(email[1]?.id ?? '')).toBe(true);
      expect((await again.list()).map((l) => l.consumer)).toEqual(['sms']);
      await reopened.close();
    });
  });

  describe('outbox', () => {
    it('the repository writes events and outbox entries atomically; the relay publishes them at least once, resuming after a reload', async () => {
      const name = uniqueName('outbox');
      const store = new IndexedDBEventStore({ name, outbox: true });
      const repository = new AggregateRepository({ eventStore: store, aggregateFactory: Order, aggregateType: 'TestOrder' });
      const order = repository.createNew('o-1');
      order.place();
      await repository.save(order);
      const failing = new OutboxRelay({ store, publisher: { publish: () => Promise.reject(new Error('broker down')) } });
      await expect(failing.drain()).rejects.toThrow('broker down');
      expect(await failing.pending()).toHaveLength(1);
      await store.close();

      // After the reload: a new store and relay publish what was left, then every new save.
      const reopened = new IndexedDBEventStore({ name, outbox: true });
      const bus = new InMemoryEventBus();
      const received: string[] = [];
      bus.subscribeToAllEvents((event) => void received.push(event.aggregateId ?? ''));
      const relay = new OutboxRelay({ store: reopened, publisher: bus });
      relay.start();
      await waitUntil(() => received.length === 1);
      const again = new AggregateRepository({ eventStore: reopened, aggregateFactory: Order, aggregateType: 'TestOrder' });
      const second = again.createNew('o-2');
      second.place();
      await again.save(second);
      await waitUntil(() => received.length === 2);
      relay.stop();
      expect(received).toEqual(['o-1', 'o-2']);
      expect(await relay.pending()).toEqual([]);
      await reopened.close();
    });
  });

  describe('group commit and commit records', () => {
    it('appends issued in the same tick share one transaction and are packed into commit records', async () => {
      let transactions = 0;
      const store = new IndexedDBEventStore({ name: uniqueName('group'), recordSize: 50, beforeCommit: () => void transactions++ });
      const results = await Promise.all(Array.from({ length: 120 }, (_, i) => store.append(`S-${i % 9}`, [placed(`c${i}`)])));
      expect(transactions).toBe(1);
      expect(results.map((r) => r.stored[0]?.position)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      const db = await store.database();
      expect(await db.getAllKeys('commits')).toEqual([50, 100, 120]);
      // Appends made while a transaction is in flight go together into the next one.
      const first = store.append('A', [placed()]);
      await Promise.resolve();
      const later = ['B', 'C', 'D'].map((streamId) => store.append(streamId, [placed()]));
      await Promise.all([first, ...later]);
      expect(transactions).toBe(3);
      await store.close();
    });
  });

  describe('tracked appends in a group commit', () => {
    it('a failing tracked unit writes none of its streams and does not disturb the appends around it', async () => {
      const store = new IndexedDBEventStore({ name: uniqueName('tracked') });
      await store.append('C', [placed()]);
      const tracking = { consumer: 'Counters', upstream: 'School', position: 5 };
      const settled = await Promise.allSettled([
        store.append('A', [placed()]),
        store.appendTracked([{ streamId: 'B', events: [placed()], expectedVersion: 0 }, { streamId: 'C', events: [placed()], expectedVersion: 0 }], tracking),
        store.appendTracked([{ streamId: 'B', events: [placed()], expectedVersion: 0 }], tracking),
        store.append('D', [placed()]),
      ]);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((await store.readAll()).map((s) => [s.streamId, s.version, s.position])).toEqual([
        ['C', 1, 1],
        ['A', 1, 2],
        ['B', 1, 3],
        ['D', 1, 4],
      ]);
      expect(await store.getTrackedPosition('Counters', 'School')).toBe(5);
      await expect(store.appendTracked([], tracking)).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
      await store.close();
    });
  });

  describe('live following across instances (tabs)', () => {
    it('a subscriber on one instance sees appends made through another', async () => {
      const name = uniqueName('follow');
      const [reader, writer] = [new IndexedDBEventStore({ name }), new IndexedDBEventStore({ name })];
      const seen: number[] = [];
      const stop = reader.subscribe((stored) => void seen.push(stored.position));
      await writer.append('A', [placed()]);
      await writer.append('B', [placed(), placed()]);
      await waitUntil(() => seen.length === 3);
      stop();
      expect(seen).toEqual([1, 2, 3]);
      // The writer's cache must not hide the other instance's appends from its concurrency checks.
      await reader.append('A', [placed()], { expectedVersion: 1 });
      await expect(writer.append('A', [placed()], { expectedVersion: 1 })).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
      await Promise.all([reader.close(), writer.close()]);
    });
  });
}
