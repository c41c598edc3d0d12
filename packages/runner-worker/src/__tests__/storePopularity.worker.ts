// A projection worker that opens the dog school's IndexedDB store itself (same origin) and keeps
// trick popularity in the same database: IndexedDBCheckpointStore commits it with the checkpoint.
import { IndexedDBCheckpointStore, type ReadModelTransaction } from '@eventwire/store-idb';
import type { IDBPDatabase } from 'idb';
import { dogSchoolRegistry, TrickAdded } from '../../../../examples/dog-school/events.js';
import { serveProjection } from '../index.js';
import { openSchoolStore } from './schoolStore.js';

const store = openSchoolStore(self.name);
serveProjection<ReadModelTransaction>({
  name: 'trick-popularity',
  registry: dogSchoolRegistry,
  store: () => store,
  checkpoints: () => new IndexedDBCheckpointStore(store, { readModelStores: ['popularity'] }),
  async handler({ event }, tx) {
    if (!TrickAdded.is(event)) return;
    const counts = tx.objectStore('popularity');
    await counts.put((((await counts.get(event.data.trick)) as number | undefined) ?? 0) + 1, event.data.trick);
  },
  queries: {
    count: async (trick: string) => ((await ((await store.database()) as unknown as IDBPDatabase).get('popularity', trick)) as number | undefined) ?? 0,
  },
});
