import type { CheckpointStore } from '@eventwire/core';
import type { IDBPDatabase, IDBPTransaction } from 'idb';
import type { IndexedDBEventStore } from './indexedDBEventStore.js';
import { toStoreError } from './storeError.js';

/** The transaction a projection's handler writes its read model in. */
export type ReadModelTransaction = IDBPTransaction<unknown, string[], 'readwrite'>;

/** Options of {@link IndexedDBCheckpointStore}. */
export interface IndexedDBCheckpointStoreOptions {
  /**
   * The object stores the projections write their read models to, created by the event store's
   * `upgrade` option. They join the checkpoint's transaction.
   * @default []
   */
  readModelStores?: readonly string[];
}

/**
 * Checkpoints in the event store's database. `commit` runs the projection's read-model writes
 * and moves the checkpoint in ONE IndexedDB transaction, so a `ProjectionRunner` on it applies
 * every event exactly once, across reloads, crashes and runners in other tabs.
 *
 * The handler must only await requests of the transaction it is given (IndexedDB commits a
 * transaction as soon as it waits for anything else, such as `fetch`).
 *
 * @example
 * ```ts
 * const store = new IndexedDBEventStore({ name: 'shop', upgrade: (db) => {
 *   if (!db.objectStoreNames.contains('totals' as never)) (db as unknown as IDBPDatabase).createObjectStore('totals');
 * } });
 * const checkpoints = new IndexedDBCheckpointStore(store, { readModelStores: ['totals'] });
 * const runner = new ProjectionRunner({ name: 'totals', store, checkpoints, handler: async (stored, tx) => {
 *   const totals = tx.objectStore('totals');
 *   await totals.put(((await totals.get(stored.streamId)) ?? 0) + 1, stored.streamId);
 * } });
 * await runner.start();
 * ```
 */
export class IndexedDBCheckpointStore implements CheckpointStore<ReadModelTransaction> {
  readonly #store: IndexedDBEventStore;
  readonly #readModelStores: readonly string[];

  constructor(store: IndexedDBEventStore, options: IndexedDBCheckpointStoreOptions = {}) {
    this.#store = store;
    this.#readModelStores = options.readModelStores ?? [];
  }

  async get(name: string): Promise<number> {
    const db = await this.#store.database();
    try {
      return (await db.get('checkpoints', name))?.position ?? 0;
    } catch (error) {
      throw toStoreError(error, 'checkpoint get');
    }
  }

  async commit(name: string, position: number, apply?: (tx: ReadModelTransaction, checkpoint: number) => unknown): Promise<void> {
    const db = (await this.#store.database()) as unknown as IDBPDatabase;
    const tx = db.transaction(['checkpoints', ...this.#readModelStores], 'readwrite');
    const done = tx.done;
    done.catch(() => {});
    try {
      const checkpoints = tx.objectStore('checkpoints');
      const checkpoint = ((await checkpoints.get(name)) as { position: number } | undefined)?.position ?? 0;
      if (apply !== undefined) await apply(tx, checkpoint);
      if (position > checkpoint) await checkpoints.put({ name, position });
    } catch (error) {
      abortQuietly(tx);
      throw error;
    }
    try {
      await done;
    } catch (error) {
      throw toStoreError(error, 'checkpoint commit');
    }
  }

  async list(): Promise<ReadonlyMap<string, number>> {
    const db = await this.#store.database();
    return new Map((await db.getAll('checkpoints')).map((row) => [row.name, row.position]));
  }

  async reset(name: string): Promise<void> {
    const db = await this.#store.database();
    await db.delete('checkpoints', name);
  }
}

function abortQuietly(tx: ReadModelTransaction): void {
  try {
    tx.abort();
  } catch {
    // Already finished.
  }
}
