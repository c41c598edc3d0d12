import { EventProcessor, handles, type EventOf } from '@eventwire/core';
import { aggregateScenario, processorScenario, systemScenario } from '@eventwire/testing';
import { describe, it } from 'vitest';
import { Dog } from './dog.js';
import { CounterIncremented, CounterStarted, DogRegistered, TrickAdded } from './events.js';
import { DogSchool, dogSchoolSystem, TrickCounters } from './system.js';

const fido = (version: number) => ({ aggregateId: 'fido', aggregateVersion: version });

describe('dog school scenarios', () => {
  it('a registered dog learns a trick', async () => {
    await aggregateScenario(Dog)
      .given(DogRegistered.create({ name: 'Fido' }, fido(1)))
      .when((dog) => dog.addTrick('roll over'))
      .then(TrickAdded.create({ trick: 'roll over' }));
  });

  it('an unregistered dog cannot learn', async () => {
    await aggregateScenario(Dog)
      .when((dog) => dog.addTrick('sit'))
      .thenThrows('AGGREGATE_NOT_FOUND');
  });

  it('a trick-popularity processor counts what it is given', async () => {
    class Popularity extends EventProcessor {
      readonly counts = new Map<string, number>();
      @handles(TrickAdded)
      onTrickAdded(event: EventOf<typeof TrickAdded>) {
        this.counts.set(event.data.trick, (this.counts.get(event.data.trick) ?? 0) + 1);
      }
    }
    await processorScenario(() => new Popularity())
      .given(TrickAdded.create({ trick: 'sit' }, fido(2)), TrickAdded.create({ trick: 'sit' }, fido(3)))
      .shouldHaveState((p) => p.counts.get('sit') === 2);
  });

  for (const runner of ['single-threaded', 'concurrent'] as const) {
    it(`the trick counters count a new trick (${runner} runner)`, async () => {
      await systemScenario(dogSchoolSystem, { runner })
        .given(DogSchool, DogRegistered.create({ name: 'Fido' }, fido(1)))
        .when((r) => r.get(DogSchool).addTrick('fido', 'sit'))
        .then(TrickCounters, CounterStarted.create({ trick: 'sit' }), CounterIncremented.create({ trick: 'sit' }));
    });

    it(`the trick counters reach the right counts (${runner} runner)`, async () => {
      await systemScenario(dogSchoolSystem, { runner })
        .given(DogSchool, DogRegistered.create({ name: 'Fido' }, fido(1)), TrickAdded.create({ trick: 'sit' }, fido(2)))
        .when(async (r) => {
          await r.get(DogSchool).addTrick('fido', 'sit');
          await r.get(DogSchool).addTrick('fido', 'fetch');
        })
        .shouldHaveState(async (r) => (await r.get(TrickCounters).getCount('sit')) === 2 && (await r.get(TrickCounters).getCount('fetch')) === 1);
    });
  }
});
