import { isEventwireError } from '@eventwire/core';
import { describe, expect, it } from 'vitest';
import { DogSchool, dogSchoolSystem, TrickCounters } from '../../../../examples/dog-school/system.js';
import { expectedCounts, teachLessons } from '../../../../examples/dog-school/workload.js';
import { WorkerRunner } from '../index.js';

function startRunner(suffix = '') {
  const names: string[] = [];
  const runner = new WorkerRunner(dogSchoolSystem, {
    createWorker: (name) => {
      names.push(name);
      return new Worker(new URL('./dogSchool.worker.ts', import.meta.url), { type: 'module', name: `${name}${suffix}` });
    },
  });
  return { runner, names };
}

describe('WorkerRunner (one dedicated worker per application)', () => {
  it('runs the dog school to the same counts as the in-process runners', async () => {
    const { runner, names } = startRunner();
    await runner.start();
    expect(names).toEqual(['DogSchool', 'TrickCounters']);
    await teachLessons(runner.get(DogSchool));
    await runner.settled();
    expect(await runner.get(TrickCounters).getCounts()).toEqual(expectedCounts);
    expect(await runner.get(TrickCounters).getCount('roll over')).toBe(3);
    await runner.stop();
  });

  it('talks to the applications through the same API, errors and their codes included', async () => {
    const { runner } = startRunner();
    await runner.start();
    const school = runner.get(DogSchool);
    const dogId = await school.registerDog('Fido');
    await school.addTrick(dogId, 'sit');
    expect(await school.getDog(dogId)).toEqual({ name: 'Fido', tricks: ['sit'] });
    const error = await school.addTrick('nobody', 'sit').catch((e: unknown) => e);
    expect(isEventwireError(error, 'AGGREGATE_NOT_FOUND')).toBe(true);
    await runner.settled();
    expect(await runner.get(TrickCounters).getCount('sit')).toBe(1);
    await runner.stop();
  });

  it('processes concurrent commands from the page exactly once', async () => {
    const { runner } = startRunner();
    await runner.start();
    const school = runner.get(DogSchool);
    const dogs = await Promise.all(Array.from({ length: 15 }, (_, i) => school.registerDog(`dog-${i}`)));
    await Promise.all(dogs.map((dogId) => school.addTrick(dogId, 'shake')));
    await runner.settled();
    expect(await runner.get(TrickCounters).getCount('shake')).toBe(15);
    await runner.stop();
  });

  it('decodes what crosses workers: an event its registry does not know stops the pipe, visibly', async () => {
    const { runner } = startRunner('|no-tricks');
    await runner.start();
    const school = runner.get(DogSchool);
    await school.addTrick(await school.registerDog('Fido'), 'sit'); // the school itself is not affected
    const error = await runner.settled().catch((e: unknown) => e);
    expect(isEventwireError(error, 'UNKNOWN_EVENT_TYPE')).toBe(true);
    const failures = await runner.failures();
    expect(failures.map((f) => [f.follower, f.upstream, f.error.code])).toEqual([['TrickCounters', 'DogSchool', 'UNKNOWN_EVENT_TYPE']]);
    expect(await runner.get(TrickCounters).trackedPosition('DogSchool')).toBe(1); // stopped before the unknown event, nothing skipped
    await runner.stop();
  });
});
