import { ConcurrentRunner, inMemoryStores, isEventwireError, SingleThreadedRunner, type EventStore } from '@eventwire/core';
import { describe, expect, it } from 'vitest';
import { DogSchool, dogSchoolSystem, TrickCounters } from './system.js';
import { expectedCounts, lessons, teachLessons } from './workload.js';

describe('dog school on the SingleThreadedRunner', () => {
  it('counts each trick before the command returns', async () => {
    const runner = new SingleThreadedRunner(dogSchoolSystem);
    await runner.start();
    const school = runner.get(DogSchool);
    const counters = runner.get(TrickCounters);
    const dogId = await school.registerDog('Fido');
    await school.addTrick(dogId, 'roll over');
    expect(await counters.getCount('roll over')).toBe(1); // immediate, as in the reference
    await school.addTrick(dogId, 'fetch');
    await school.addTrick(dogId, 'roll over');
    expect(await counters.getCount('roll over')).toBe(2);
    expect(await counters.getCount('fetch')).toBe(1);
    expect(await counters.getCount('juggle')).toBe(0);
    expect((await school.getDog(dogId)).tricks).toEqual(['roll over', 'fetch', 'roll over']);
    await runner.stop();
  });

  it('ends the shared workload with the expected counts', async () => {
    const runner = new SingleThreadedRunner(dogSchoolSystem);
    await runner.start();
    await teachLessons(runner.get(DogSchool));
    expect(await runner.get(TrickCounters).getCounts()).toEqual(expectedCounts);
    await runner.stop();
  });

  it('fails the command with a clear error for an unknown dog', async () => {
    const runner = new SingleThreadedRunner(dogSchoolSystem);
    await runner.start();
    const error = await runner.get(DogSchool).addTrick('no-such-dog', 'sit').catch((e: unknown) => e);
    expect(isEventwireError(error, 'AGGREGATE_NOT_FOUND')).toBe(true);
    await runner.stop();
  });
});

describe('dog school on the ConcurrentRunner', () => {
  it('returns once stored, and settles to the same counts as the single-threaded runner', async () => {
    const runner = new ConcurrentRunner(dogSchoolSystem);
    await runner.start();
    await teachLessons(runner.get(DogSchool));
    await runner.settled();
    expect(await runner.get(TrickCounters).getCounts()).toEqual(expectedCounts);
    await runner.stop();
  });

  it('processes concurrent commands exactly once', async () => {
    const runner = new ConcurrentRunner(dogSchoolSystem);
    await runner.start();
    const school = runner.get(DogSchool);
    const dogs = await Promise.all(Array.from({ length: 20 }, (_, i) => school.registerDog(`dog-${i}`)));
    await Promise.all(dogs.map((dogId) => school.addTrick(dogId, 'sit')));
    await runner.settled();
    expect(await runner.get(TrickCounters).getCount('sit')).toBe(20);
    await runner.stop();
  });
});

describe('restarts and races (in memory, within a process)', () => {
  it('goes on where it stopped: events stored while stopped are processed once on start', async () => {
    const stores = inMemoryStores();
    const first = new SingleThreadedRunner(dogSchoolSystem, { store: stores });
    await first.start();
    const dogId = await first.get(DogSchool).registerDog('Fido');
    await first.get(DogSchool).addTrick(dogId, 'roll over');
    await first.stop();

    // The school keeps working while the counters are down: write straight to its store.
    const schoolAlone = new DogSchool({ store: stores('DogSchool') });
    await schoolAlone.addTrick(dogId, 'roll over');
    await schoolAlone.addTrick(dogId, 'fetch');

    const second = new ConcurrentRunner(dogSchoolSystem, { store: stores });
    await second.start();
    await second.settled();
    expect(await second.get(TrickCounters).getCounts()).toEqual({ 'roll over': 2, fetch: 1 });
    await second.stop();

    const third = new SingleThreadedRunner(dogSchoolSystem, { store: stores });
    await third.start();
    expect(await third.get(TrickCounters).getCounts()).toEqual({ 'roll over': 2, fetch: 1 });
    await third.stop();
  });

  it('two runners on the same stores process each upstream event once (tracking conflicts are skipped)', async () => {
    const stores = inMemoryStores();
    const a = new ConcurrentRunner(dogSchoolSystem, { store: stores });
    const b = new ConcurrentRunner(dogSchoolSystem, { store: stores });
    await a.start();
    await b.start();
    await teachLessons(a.get(DogSchool));
    await a.settled();
    await b.settled();
    expect(await a.get(TrickCounters).getCounts()).toEqual(expectedCounts);
    const counterEvents = (await stores('TrickCounters').readAll()).filter((s) => s.event.type === 'CounterIncremented');
    expect(counterEvents).toHaveLength(Object.values(lessons).flat().length);
    await a.stop();
    await b.stop();
  });

  it('never double-counts when the tracking write races a crash: the counter events and tracking are one write', async () => {
    const stores = inMemoryStores();
    const store = stores('TrickCounters') as EventStore & { appendTracked: (...args: never[]) => Promise<unknown> };
    const runner = new SingleThreadedRunner(dogSchoolSystem, { store: stores });
    await runner.start();
    const dogId = await runner.get(DogSchool).registerDog('Fido');
    // Make the next tracked write fail, as a crash between "counted" and "tracked" would.
    const original = store.appendTracked.bind(store);
    let failNext = true;
    store.appendTracked = ((...args: never[]) => {
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('power cut'));
      }
      return original(...args);
    }) as typeof store.appendTracked;
    await expect(runner.get(DogSchool).addTrick(dogId, 'sit')).rejects.toThrow('power cut');
    expect(await runner.get(TrickCounters).getCount('sit')).toBe(0); // nothing half-written
    await runner.stop();
    const restarted = new SingleThreadedRunner(dogSchoolSystem, { store: stores });
    await restarted.start();
    expect(await restarted.get(TrickCounters).getCount('sit')).toBe(1);
    await restarted.stop();
  });
});
