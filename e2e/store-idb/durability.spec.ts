import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

const page = '/store-idb/store.html';

async function open(context: import('@playwright/test').BrowserContext): Promise<Page> {
  const tab = await context.newPage();
  await tab.goto(page);
  await tab.waitForFunction(() => document.title === 'ready');
  return tab;
}

/**
 * Runs `fn` in the page; if the page was reloaded under it (Vite reloads pages when watched
 * sources change), loads it again and runs `fn` once more.
 */
async function inPage<A, R>(tab: Page, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
  try {
    return await tab.evaluate(fn as (arg: unknown) => R | Promise<R>, arg as unknown);
  } catch (error) {
    if (!String(error).includes('Execution context was destroyed')) throw error;
    await tab.goto(page);
    await tab.waitForFunction(() => document.title === 'ready');
    return tab.evaluate(fn as (arg: unknown) => R | Promise<R>, arg as unknown);
  }
}

test('tabs closed or navigated away while they append lose no acknowledged event, and positions have no gaps or duplicates', async ({ context }) => {
  const dbName = `durability-${Date.now().toString(36)}`;
  test.setTimeout(120_000);
  const acked = new Set<string>();
  await context.exposeFunction('reportAcks', (ids: string[]) => {
    for (const id of ids) acked.add(id);
  });
  const tabs = await Promise.all([open(context), open(context), open(context)]);
  tabs.forEach((tab, i) => void tab.evaluate(([name, id]) => window.storePage.appendForever(name, id), [dbName, `tab${i}`] as const).catch(() => {}));
  await expect.poll(() => acked.size, { timeout: 30_000 }).toBeGreaterThan(600);

  // While all three are mid-append: one navigates away, one closes; later the last one closes.
  await tabs[0]!.goto('about:blank');
  await tabs[1]!.close();
  await expect.poll(() => acked.size, { timeout: 30_000 }).toBeGreaterThan(900);
  await tabs[2]!.close({ runBeforeUnload: false });
  const ackedAtClose = new Set(acked);

  const reader = await open(context);
  const stored = await inPage(reader, (name) => window.storePage.readEverything(name), dbName);
  const storedIds = new Set(stored.ids);
  const missing = [...ackedAtClose].filter((id) => !storedIds.has(id));
  expect(missing).toEqual([]);
  expect(storedIds.size).toBe(stored.ids.length);
  expect(stored.positions).toEqual(stored.positions.map((_, i) => i + 1));
  for (const versions of Object.values(stored.streams)) expect(versions).toEqual(versions.map((_, i) => i + 1));
  expect(stored.ids.length).toBeGreaterThanOrEqual(ackedAtClose.size);
});

test('a projection reloaded in the middle of catch-up applies every event exactly once', async ({ context }) => {
  const dbName = `projection-${Date.now().toString(36)}`;
  const tab = await open(context);
  test.setTimeout(120_000);
  await inPage(tab, (name) => window.storePage.seed(name, 600), dbName);
  void tab.evaluate((name) => window.storePage.project(name), dbName).catch(() => {});
  const reader = await open(context);
  await expect.poll(async () => (await reader.evaluate((name) => window.storePage.projectionState(name), dbName)).checkpoint, { timeout: 30_000 }).toBeGreaterThan(20);
  await tab.reload();
  await tab.waitForFunction(() => document.title === 'ready');
  const interrupted = await inPage(reader, (name) => window.storePage.projectionState(name), dbName);
  expect(interrupted.checkpoint).toBeLessThan(600);
  expect(interrupted.counts).toHaveLength(interrupted.checkpoint);
  await inPage(tab, (name) => window.storePage.project(name), dbName);
  const finished = await inPage(reader, (name) => window.storePage.projectionState(name), dbName);
  expect(finished.checkpoint).toBe(600);
  expect(finished.counts).toHaveLength(600);
  expect(finished.counts.every((count) => count === 1)).toBe(true);
});

test('quota exceeded: appends fail with QUOTA_EXCEEDED, nothing partial is visible, the store keeps working', async ({ context }) => {
  const tab = await open(context);
  const cdp = await context.newCDPSession(tab);
  const origin = new URL(tab.url()).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 3 * 1024 * 1024 });
  const result = await inPage(tab, (name) => window.storePage.fillQuota(name), `quota-${Date.now().toString(36)}`);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  expect(result.codes.length, JSON.stringify(result)).toBeGreaterThan(0);
  expect(new Set(result.codes), JSON.stringify(result)).toEqual(new Set(['QUOTA_EXCEEDED']));
  expect(result.visible, JSON.stringify(result)).toBe(result.stored);
  expect(['stored', 'QUOTA_EXCEEDED'], JSON.stringify(result)).toContain(result.afterwards);
});

test('a subscriber in one tab follows appends made in two other tabs, live and in order', async ({ context }) => {
  const dbName = `follow-${Date.now().toString(36)}`;
  const [follower, writerA, writerB] = await Promise.all([open(context), open(context), open(context)]);
  const followed = follower.evaluate((name) => window.storePage.follow(name, 40), dbName);
  await follower.waitForFunction(() => document.title === 'following');
  await Promise.all([
    writerA.evaluate((name) => window.storePage.appendSome(name, 'a', 20), dbName),
    writerB.evaluate((name) => window.storePage.appendSome(name, 'b', 20), dbName),
  ]);
  expect(await followed).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
});
