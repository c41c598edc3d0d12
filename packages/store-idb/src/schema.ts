import type { DeadLetter, StoredEvent } from '@eventwire/core';
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';

/**
 * One commit record: the events of one or more appends that were committed together, in
 * position order. Packing events into records is what makes batched appends fast (IndexedDB pays
 * per record, not per byte); the two multi-entry indexes keep reads by stream and idempotency by
 * event id exact.
 */
export interface CommitRecord {
  /** The key: the position of the record's last event. */
  readonly last: number;
  readonly events: readonly StoredEvent[];
  /**
   * `[streamId, first version]` and `[streamId, last version]` of each stream in this record:
   * the unique `byStream` index. The last versions give a stream's version and its records from
   * a version on; the first versions make writing version 1 of a stream that already exists a
   * constraint error, so new streams need no lookup before they are written.
   */
  readonly streamKeys: readonly (readonly [string, number])[];
  /** Every event id: the unique `byEventId` index. */
  readonly eventIds: readonly string[];
}

/** A range of the log to publish: written in the same transaction as the events. */
export interface OutboxEntry {
  /** Auto-increment key: the relay drains in this order. */
  readonly seq?: number;
  readonly first: number;
  readonly last: number;
}

/** A projection's checkpoint row. */
export interface CheckpointRow {
  readonly name: string;
  readonly position: number;
}

/**
 * The typed schema of an eventwire database, as idb's `DBSchema`. Applications add their own
 * read-model stores with the `upgrade` option.
 */
export interface EventwireDB extends DBSchema {
  commits: { key: number; value: CommitRecord; indexes: { byStream: [string, number]; byEventId: string } };
  outbox: { key: number; value: OutboxEntry };
  checkpoints: { key: string; value: CheckpointRow };
  deadLetters: { key: string; value: DeadLetter; indexes: { byConsumer: string } };
}

/** The database and the transaction of an upgrade. */
export type EventwireUpgradeTransaction = IDBPTransaction<EventwireDB, StoreNames<EventwireDB>[], 'versionchange'>;

/**
 * The migrations of eventwire's own stores, in order. Each one checks whether its change is
 * already there, so they can run in any `upgrade` (the application owns the database version,
 * to version its own read-model stores). Add a migration, never edit one, to change the schema.
 */
const migrations: readonly ((db: IDBPDatabase<EventwireDB>) => void)[] = [
  function createEventStores(db) {
    if (db.objectStoreNames.contains('commits')) return;
    const commits = db.createObjectStore('commits', { keyPath: 'last' });
    commits.createIndex('byStream', 'streamKeys', { unique: true, multiEntry: true });
    commits.createIndex('byEventId', 'eventIds', { unique: true, multiEntry: true });
    db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
    db.createObjectStore('checkpoints', { keyPath: 'name' });
    const deadLetters = db.createObjectStore('deadLetters', { keyPath: 'id' });
    deadLetters.createIndex('byConsumer', 'consumer');
  },
];

/**
 * Brings eventwire's stores up to date inside an upgrade transaction.
 * @internal
 */
export function migrate(db: IDBPDatabase<EventwireDB>): void {
  for (const migration of migrations) migration(db);
}

/**
 * Whether a database has every store this version of the code needs.
 * @internal
 */
export function hasSchema(db: IDBPDatabase<EventwireDB>): boolean {
  return (['commits', 'outbox', 'checkpoints', 'deadLetters'] as const).every((name) => db.objectStoreNames.contains(name));
}
