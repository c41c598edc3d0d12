import { defineEvent, EventRegistry } from '@eventwire/core';
import { z } from 'zod';

/** A dog joined the school. */
export const DogRegistered = defineEvent('DogRegistered', z.object({ name: z.string().min(1) }), { aggregateType: 'Dog' });

/** A dog learned a trick. */
export const TrickAdded = defineEvent('TrickAdded', z.object({ trick: z.string().min(1) }), { aggregateType: 'Dog' });

/** A trick counter was created (the first time anyone learned the trick). */
export const CounterStarted = defineEvent('CounterStarted', z.object({ trick: z.string().min(1) }), { aggregateType: 'Counter' });

/** One more dog learned the trick. */
export const CounterIncremented = defineEvent('CounterIncremented', z.object({ trick: z.string().min(1) }), { aggregateType: 'Counter' });

/** Every event of the system: what crosses a worker boundary is decoded against it. */
export const dogSchoolRegistry = new EventRegistry([DogRegistered, TrickAdded, CounterStarted, CounterIncremented]);
