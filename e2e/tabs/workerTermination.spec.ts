import { expect, test } from './noReload.js';

type Scenarios = {
  terminateMidCall(): Promise<{ pending: number; outcomes: string[]; later: string[]; pendingAfter: number }>;
  workerDiesOnItsOwn(timeoutMs: number): Promise<string[]>;
};

test.beforeEach(async ({ page }) => {
  await page.goto('/tabs/terminate.html');
  await expect(page).toHaveTitle('ready', { timeout: 30_000 });
});

test('terminating a worker mid-call rejects every pending call at once with WORKER_TERMINATED', async ({ page }) => {
  // The calls would otherwise wait ten minutes: the test's own timeout is far shorter.
  const result = await page.evaluate(() => (globalThis as unknown as { scenarios: Scenarios }).scenarios.terminateMidCall());
  expect(result.pending).toBe(11);
  expect(result.outcomes).toEqual(Array.from({ length: 11 }, () => 'WORKER_TERMINATED'));
  expect(result.later).toEqual(['WORKER_TERMINATED', 'WORKER_TERMINATED']);
  expect(result.pendingAfter).toBe(0);
});

test('a worker that dies on its own mid-call: every pending call rejects with TIMEOUT', async ({ page }) => {
  const outcomes = await page.evaluate(() => (globalThis as unknown as { scenarios: Scenarios }).scenarios.workerDiesOnItsOwn(1_500));
  expect(outcomes).toEqual(Array.from({ length: 6 }, () => 'TIMEOUT'));
});
