// The dog school's IndexedDB store with a `popularity` read-model object store, for the page and the projection worker.
import { IndexedDBEventStore } from '@eventwire/store-idb';
import type { IDBPDatabase } from 'idb';

export function openSchoolStore(name: string): IndexedDBEventStore {
  return new IndexedDBEventStore({
    name,
    upgrade(db) {
      const plain = db as unknown as IDBPDatabase;
      if (!plain.objectStoreNames.contains('popularity')) plain.createObjectStore('popularity');
    },
  });
}
