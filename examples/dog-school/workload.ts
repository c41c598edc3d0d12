import type { DogSchool } from './dogSchool.js';

/** What the dogs learn in the shared workload: each dog, its tricks in order. */
export const lessons: Readonly<Record<string, readonly string[]>> = {
  Fido: ['roll over', 'fetch', 'play dead'],
  Rex: ['roll over', 'sit'],
  Bella: ['fetch', 'roll over', 'sit', 'shake'],
};

/** The counts every runner must end with. */
export const expectedCounts: Readonly<Record<string, number>> = { 'roll over': 3, fetch: 2, 'play dead': 1, sit: 2, shake: 1 };

/** The commands a dog school-like API receives: the same on every runner, local or remote. */
export interface SchoolApi {
  registerDog: DogSchool['registerDog'];
  addTrick: DogSchool['addTrick'];
}

/** Registers the dogs and teaches them their lessons, interleaving the dogs. Returns the dog ids by name. */
export async function teachLessons(school: SchoolApi, idPrefix = ''): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const name of Object.keys(lessons)) ids[name] = await school.registerDog(name, `${idPrefix}${name.toLowerCase()}`);
  const longest = Math.max(...Object.values(lessons).map((tricks) => tricks.length));
  for (let step = 0; step < longest; step++) {
    for (const [name, tricks] of Object.entries(lessons)) {
      const trick = tricks[step];
      if (trick !== undefined) await school.addTrick(ids[name]!, trick);
    }
  }
  return ids;
}
