import { testEventStoreContract, testTrackingStoreContract, uniqueName } from '@eventwire/testing';
import { IndexedDBEventStore } from '@eventwire/store-idb';

testEventStoreContract('IndexedDBEventStore in Chromium', {
  create: () => new IndexedDBEventStore({ name: uniqueName('contract') }),
  reopen: async (store) => {
    await store.close?.();
    return new IndexedDBEventStore({ name: (store as IndexedDBEventStore).name, recordSize: 3 });
  },
});

testTrackingStoreContract('IndexedDBEventStore in Chromium', (name) => new IndexedDBEventStore({ name }));
