// The trick-popularity read model of the tests: counts per trick in IndexedDB, and a checkpoint
// store that commits the counts and the checkpoint in one transaction.
import type { CheckpointStore } from '@eventwire/core';
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';

export interface PopularityDB extends DBSchema {
  checkpoints: { key: string; value: { name: string; position: number } };
  popularity: { key: string; value: { trick: string; count: number } };
}

export type PopularityTx = IDBPTransaction<PopularityDB, ['checkpoints', 'popularity'], 'readwrite'>;

export function openPopularityDB(name: string): Promise<IDBPDatabase<PopularityDB>> {
  return openDB<PopularityDB>(name, 1, {
    upgrade(db) {
      db.createObjectStore('checkpoints', { keyPath: 'name' });
      db.createObjectStore('popularity', { keyPath: 'trick' });
    },
  });
}

/** Checkpoint and read model in one readwrite transaction: exactly once across kills. */
export class PopularityCheckpoints implements CheckpointStore<PopularityTx> {
  readonly #db: Promise<IDBPDatabase<PopularityDB>>;
  readonly #delayMs: number;

  constructor(db: Promise<IDBPDatabase<PopularityDB>>, delayMs = 0) {
    this.#db = db;
    this.#delayMs = delayMs;
  }

  async get(name: string): Promise<number> {
    return (await (await this.#db).get('checkpoints', name))?.position ?? 0;
  }

  async commit(name: string, position: number, apply?: (tx: PopularityTx, checkpoint: number) => unknown): Promise<void> {
    // Outside the transaction (a timer inside one would let it commit early): slows the projection for the kill test.
    if (this.#delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#delayMs));
    const tx = (await this.#db).transaction(['checkpoints', 'popularity'], 'readwrite');
    const checkpoint = (await tx.objectStore('checkpoints').get(name))?.position ?? 0;
    if (apply !== undefined) await apply(tx, checkpoint);
    if (position > checkpoint) await tx.objectStore('checkpoints').put({ name, position });
    await tx.done;
  }

  async list(): Promise<ReadonlyMap<string, number>> {
    return new Map((await (await this.#db).getAll('checkpoints')).map((row) => [row.name, row.position]));
  }

  async reset(name: string): Promise<void> {
    await (await this.#db).delete('checkpoints', name);
  }
}
