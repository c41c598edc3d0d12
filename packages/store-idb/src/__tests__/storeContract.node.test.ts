import 'fake-indexeddb/auto';
import { testEventStoreContract, testTrackingStoreContract, uniqueName } from '@eventwire/testing';
import { IndexedDBEventStore } from '@eventwire/store-idb';

testEventStoreContract('IndexedDBEventStore on fake-indexeddb', {
  create: () => new IndexedDBEventStore({ name: uniqueName('contract'), recordSize: 4 }),
  reopen: async (store) => {
    await store.close?.();
    return new IndexedDBEventStore({ name: (store as IndexedDBEventStore).name, recordSize: 3 });
  },
});

testTrackingStoreContract('IndexedDBEventStore on fake-indexeddb', (name) => new IndexedDBEventStore({ name }));
