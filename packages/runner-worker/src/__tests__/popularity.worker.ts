// A projection worker for the tests: trick popularity, kept in IndexedDB by store-idb's
// IndexedDBCheckpointStore (read model and checkpoint in one transaction). It follows the
// DogSchool worker's log through runner.project, so its own database holds only the read model.
import { IndexedDBCheckpointStore, type ReadModelTransaction } from '@eventwire/store-idb';
import type { IDBPDatabase } from 'idb';
import { dogSchoolRegistry, TrickAdded } from '../../../../examples/dog-school/events.js';
import { serveProjection } from '../index.js';
import { openSchoolStore } from './schoolStore.js';

const [dbName = 'popularity', delay = '0'] = self.name.split('|');
const readModel = openSchoolStore(dbName);

/** Waits before each commit, outside the transaction (a timer inside one would end it): for the kill test. */
function slowed(checkpoints: IndexedDBCheckpointStore, delayMs: number): IndexedDBCheckpointStore {
  if (delayMs <= 0) return checkpoints;
  const commit = checkpoints.commit.bind(checkpoints);
  checkpoints.commit = async (...args) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return commit(...args);
  };
  return checkpoints;
}

serveProjection<ReadModelTransaction>({
  name: 'trick-popularity',
  registry: dogSchoolRegistry,
  batchSize: 5,
  checkpoints: () => slowed(new IndexedDBCheckpointStore(readModel, { readModelStores: ['popularity'] }), Number(delay)),
  async handler({ event }, tx) {
    if (!TrickAdded.is(event)) return;
    const counts = tx.objectStore('popularity');
    await counts.put((((await counts.get(event.data.trick)) as number | undefined) ?? 0) + 1, event.data.trick);
  },
  queries: {
    count: async (trick: string) => ((await ((await readModel.database()) as unknown as IDBPDatabase).get('popularity', trick)) as number | undefined) ?? 0,
  },
});
