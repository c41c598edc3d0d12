import { expect, test, type Page } from '@playwright/test';

type SystemsApi = {
  expectedCounts: Record<string, number>;
  teachLessons(): Promise<void>;
  teachMany(dogs: number, tricks: readonly string[]): Promise<void>;
  settled(): Promise<void>;
  counts(): Promise<Record<string, number>>;
  tracked(): Promise<number>;
  schoolEvents(): Promise<string[]>;
  counterEvents(): Promise<string[]>;
};

declare const systems: SystemsApi;

async function open(page: Page, query: Record<string, string>) {
  await page.goto(`/systems/?${new URLSearchParams(query).toString()}`);
  await expect(page.locator('#out')).toHaveText('ready', { timeout: 30_000 });
}

const unique = (label: string) => `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

test('the dog school runs on the worker runner with the same counts as the in-process runners', async ({ page }) => {
  for (const store of ['memory', 'idb']) {
    await open(page, { store, db: unique('same') });
    const result = await page.evaluate(async () => {
      await systems.teachLessons();
      await systems.settled();
      return { counts: await systems.counts(), expected: systems.expectedCounts };
    });
    expect(result.counts).toEqual(result.expected);
  }
});

test('a reload in the middle of processing leaves every counter exactly right', async ({ page }) => {
  const tricks = ['sit', 'fetch', 'roll over', 'shake'];
  const dogs = 40;
  const db = unique('reload');
  // Each tracked write of the counters waits 40 ms, so the reload lands while they still work.
  await open(page, { store: 'idb', db, slow: '40' });
  await page.evaluate(({ dogs, tricks }) => systems.teachMany(dogs, tricks), { dogs, tricks });
  // Two events per dog (registered, trick added): wait until the counters are part-way through.
  await expect.poll(() => page.evaluate(() => systems.tracked()), { timeout: 30_000 }).toBeGreaterThanOrEqual(10);
  const trackedBeforeReload = await page.evaluate(() => systems.tracked());
  expect(trackedBeforeReload).toBeLessThan(dogs * 2);

  await page.reload();
  await expect(page.locator('#out')).toHaveText('ready', { timeout: 30_000 });
  const after = await page.evaluate(async () => {
    await systems.settled();
    return { counts: await systems.counts(), tracked: await systems.tracked(), school: await systems.schoolEvents(), counters: await systems.counterEvents() };
  });
  const expected = Object.fromEntries(tricks.map((trick) => [trick, dogs / tricks.length]));
  expect(after.counts).toEqual(expected);
  expect(after.tracked).toBe(dogs * 2);
  expect(after.school.filter((type) => type === 'TrickAdded')).toHaveLength(dogs);
  // Each counter stream has exactly one start and one increment per dog: nothing twice, nothing lost.
  expect(after.counters).toHaveLength(tricks.length * (1 + dogs / tricks.length));
  expect(new Set(after.counters).size).toBe(after.counters.length);
});
