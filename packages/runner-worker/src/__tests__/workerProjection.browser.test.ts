import { describe, expect, it } from 'vitest';
import { DogSchool, dogSchoolSystem } from '../../../../examples/dog-school/system.js';
import { expectedCounts, teachLessons } from '../../../../examples/dog-school/workload.js';
import { WorkerRunner } from '../index.js';
import type { IDBPDatabase } from 'idb';
import { openSchoolStore } from './schoolStore.js';

const unique = (label: string) => `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
const appWorker = (name: string) => new Worker(new URL('./dogSchool.worker.ts', import.meta.url), { type: 'module', name });
const popularityWorker = (db: string, delayMs = 0) => new Worker(new URL('./popularity.worker.ts', import.meta.url), { type: 'module', name: `${db}|${delayMs}` });

/** Reads the read model straight from IndexedDB, as the page would. */
async function countsIn(db: string): Promise<Record<string, number>> {
  const store = openSchoolStore(db);
  const database = (await store.database()) as unknown as IDBPDatabase;
  const [tricks, counts] = await Promise.all([database.getAllKeys('popularity'), database.getAll('popularity')]);
  await store.close();
  return Object.fromEntries(tricks.map((trick, i) => [String(trick), counts[i] as number]));
}

describe('a projection in its own worker, its read model in IndexedDB', () => {
  it('catches up, follows live, and answers queries', async () => {
    const runner = new WorkerRunner(dogSchoolSystem, { createWorker: appWorker });
    await runner.start();
    const school = runner.get(DogSchool);
    const fido = await school.registerDog('Fido');
    await school.addTrick(fido, 'sit');
    const db = unique('popularity');
    const popularity = await runner.project(DogSchool, popularityWorker(db));
    expect(await popularity.status()).toBe('live');
    expect(await popularity.query('count', 'sit')).toBe(1); // caught up before project() resolved
    await teachLessons(school, 'b-');
    await popularity.settled();
    expect(await countsIn(db)).toEqual({ ...expectedCounts, sit: expectedCounts['sit']! + 1 });
    await popularity.stop();
    await runner.stop();
  });

  it('applies each event exactly once when its worker is killed mid-way and started again', async () => {
    const runner = new WorkerRunner(dogSchoolSystem, { createWorker: appWorker });
    await runner.start();
    const db = unique('popularity-kill');
    const slowWorker = popularityWorker(db, 15);
    const slow = await runner.project(DogSchool, slowWorker);
    const school = runner.get(DogSchool);
    const tricks = ['sit', 'fetch', 'shake'];
    for (let i = 0; i < 30; i++) await school.addTrick(await school.registerDog(`dog-${i}`), tricks[i % 3]!);

    await expect.poll(() => slow.position(), { timeout: 20_000 }).toBeGreaterThanOrEqual(10);
    const killedAt = await slow.position();
    expect(killedAt).toBeLessThan(60);
    slowWorker.terminate(); // a kill, not a stop: possibly inside a transaction

    const again = await runner.project(DogSchool, popularityWorker(db));
    await again.settled();
    expect(await again.position()).toBe(60);
    expect(await countsIn(db)).toEqual({ sit: 10, fetch: 10, shake: 10 });
    await again.stop();
    await runner.stop();
  });
});
