export { IndexedDBEventStore } from './indexedDBEventStore.js';
export type { IndexedDBEventStoreOptions } from './indexedDBEventStore.js';
export type { UpgradeCallback } from './connection.js';
export type { CheckpointRow, CommitRecord, EventwireDB, EventwireUpgradeTransaction, OutboxEntry } from './schema.js';
export { toStoreError } from './storeError.js';
