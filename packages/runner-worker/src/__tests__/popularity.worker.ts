// A projection worker for the tests: trick popularity, kept in IndexedDB.
import { dogSchoolRegistry, TrickAdded } from '../../../../examples/dog-school/events.js';
import { serveProjection } from '../index.js';
import { openPopularityDB, PopularityCheckpoints, type PopularityTx } from './popularityReadModel.js';

const [dbName = 'popularity', delay = '0'] = self.name.split('|');
const db = openPopularityDB(dbName);

serveProjection<PopularityTx>({
  name: 'trick-popularity',
  registry: dogSchoolRegistry,
  batchSize: 5,
  checkpoints: () => new PopularityCheckpoints(db, Number(delay)),
  async handler({ event }, tx) {
    if (!TrickAdded.is(event)) return;
    const row = await tx.objectStore('popularity').get(event.data.trick);
    await tx.objectStore('popularity').put({ trick: event.data.trick, count: (row?.count ?? 0) + 1 });
  },
  queries: {
    count: async (trick: string) => (await (await db).get('popularity', trick))?.count ?? 0,
  },
});
