import { describe, expect, it } from 'vitest';
import { DogSchool } from '../../../../examples/dog-school/dogSchool.js';
import { WorkerProjection } from '../index.js';
import { openSchoolStore } from './schoolStore.js';

describe('a projection worker on a same-origin IndexedDB store (store-idb)', () => {
  it('follows appends made by the page, and keeps its read model with its checkpoint', async () => {
    const name = `school-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const school = new DogSchool({ store: openSchoolStore(name) });
    const fido = await school.registerDog('Fido');
    await school.addTrick(fido, 'sit');
    const worker = () => new Worker(new URL('./storePopularity.worker.ts', import.meta.url), { type: 'module', name });
    const popularity = await WorkerProjection.start(worker());
    expect(await popularity.query('count', 'sit')).toBe(1);
    await school.addTrick(fido, 'sit'); // written by the page, seen by the worker through the store's cross-context signal
    await school.addTrick(fido, 'fetch');
    await popularity.settled();
    expect([await popularity.query('count', 'sit'), await popularity.query('count', 'fetch')]).toEqual([2, 1]);
    await popularity.stop();

    const again = await WorkerProjection.start(worker()); // from its checkpoint: nothing applied twice
    expect([await again.query('count', 'sit'), await again.query('count', 'fetch')]).toEqual([2, 1]);
    await again.stop();
  });
});
