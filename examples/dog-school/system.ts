import { System } from '@eventwire/core';
import { DogSchool } from './dogSchool.js';
import { TrickCounters } from './trickCounters.js';

/** The reference's system: the trick counters follow the dog school. */
export const dogSchoolSystem = new System({ pipes: [[DogSchool, TrickCounters]] });

export { DogSchool, TrickCounters };
