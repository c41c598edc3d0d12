import type { Page } from '@playwright/test';
import { expect, test } from './noReload.js';

interface SeenPing {
  id: string;
  from: string;
  seq: number;
}
interface Stats {
  sent: number;
  received: number;
  duplicates: number;
  rejected: number;
}
interface TabState {
  seen: Record<string, SeenPing[]>;
  broadcast: Stats;
  worker: Stats | undefined;
  rejectedRecords: number;
  eventsPublished: number;
  polluted: unknown;
}
type TabApi = {
  publish(start: number, count: number): Promise<void>;
  startWorkerBurst(start: number, count: number): Promise<void>;
  state(): TabState;
};

const state = (page: Page): Promise<TabState> => page.evaluate(() => (globalThis as unknown as { tab: TabApi }).tab.state());

async function openTab(page: Page, app: string, label: string, withWorker = false): Promise<Page> {
  await page.goto(`/tabs/relay.html?app=${app}&label=${label}${withWorker ? '&worker=1' : ''}`);
  await expect(page).toHaveTitle('ready', { timeout: 30_000 });
  return page;
}

/** Every context's view: tab-1 also reports what its worker dispatched. */
async function views(tabs: readonly Page[]): Promise<Record<string, SeenPing[]>> {
  const all: Record<string, SeenPing[]> = {};
  for (const tab of tabs) Object.assign(all, (await state(tab)).seen);
  return all;
}

test('three tabs and a worker publish concurrently: every context gets every event exactly once, in per-publisher order, with no echoes', async ({ context }) => {
  test.setTimeout(120_000);
  const app = `relay-${Date.now().toString(36)}`;
  const tabs = [
    await openTab(await context.newPage(), app, 'tab-1', true),
    await openTab(await context.newPage(), app, 'tab-2'),
    await openTab(await context.newPage(), app, 'tab-3'),
  ];
  const publishers = ['tab-1', 'tab-2', 'tab-3', 'worker'];
  const perPublisher = 300;
  const round = (start: number, count: number): Promise<unknown> =>
    Promise.all([
      ...tabs.map((tab) => tab.evaluate(([s, c]) => (globalThis as unknown as { tab: TabApi }).tab.publish(s!, c!), [start, count])),
      tabs[0]!.evaluate(([s, c]) => (globalThis as unknown as { tab: TabApi }).tab.startWorkerBurst(s!, c!), [start, count]),
    ]);
  const waitForAll = (total: number): Promise<void> =>
    expect
      .poll(async () => Object.values(await views(tabs)).map((seen) => seen.length), { timeout: 60_000 })
      .toEqual([total, total, total, total]);

  await round(0, perPublisher);
  await waitForAll(perPublisher * publishers.length);
  // A fence: one more ping from each publisher. Each publisher's events stay in order, so
  // once the fences are in, any echo of the earlier events would have arrived too.
  await round(perPublisher, 1);
  await waitForAll((perPublisher + 1) * publishers.length);

  const all = await views(tabs);
  expect(Object.keys(all).sort()).toEqual([...publishers].sort());
  for (const [context, seen] of Object.entries(all)) {
    expect(new Set(seen.map((ping) => ping.id)).size, `${context} saw each event once`).toBe(seen.length);
    for (const publisher of publishers) {
      const order = seen.filter((ping) => ping.from === publisher).map((ping) => ping.seq);
      expect(order, `${context} got ${publisher}'s events in order`).toEqual(Array.from({ length: perPublisher + 1 }, (_, i) => i));
    }
  }

  // No echoes: each connection sent exactly what it had to, and received nothing twice.
  const pings = perPublisher + 1;
  const bursts = 2; // tab-1's StartBurst events travel like any other event
  const [first, second, third] = await Promise.all(tabs.map(state));
  expect(second!.broadcast.sent).toBe(pings);
  expect(third!.broadcast.sent).toBe(pings);
  expect(first!.broadcast.sent).toBe(pings * 2 + bursts); // its own and the worker's
  expect(first!.worker!.sent).toBe(pings * 3 + bursts); // its own, tab-2's and tab-3's
  expect(first!.worker!.received).toBe(pings);
  for (const tab of [first!, second!, third!]) {
    expect(tab.broadcast.duplicates).toBe(0);
    expect(tab.broadcast.rejected).toBe(0);
  }
});

test('10,000 forged or malformed messages on the channel are all rejected, and the bus keeps working unpolluted', async ({ context }) => {
  test.setTimeout(120_000);
  const app = `forged-${Date.now().toString(36)}`;
  const tabs = [await openTab(await context.newPage(), app, 'tab-1'), await openTab(await context.newPage(), app, 'tab-2')];
  const forger = await context.newPage();
  await forger.goto('/tabs/forge.html');
  await expect(forger).toHaveTitle('ready');
  const forged = 10_000;
  await forger.evaluate(([name, count]) => (globalThis as unknown as { forge: (app: string, count: number) => number }).forge(name as string, count as number), [app, forged]);

  for (const tab of tabs) {
    await expect.poll(async () => (await state(tab)).broadcast.rejected, { timeout: 60_000 }).toBe(forged);
  }
  await tabs[0]!.evaluate(() => (globalThis as unknown as { tab: TabApi }).tab.publish(0, 5));
  await expect.poll(async () => (await state(tabs[1]!)).seen['tab-2']!.length, { timeout: 30_000 }).toBe(5);

  for (const [i, tab] of tabs.entries()) {
    const after = await state(tab);
    const label = `tab-${i + 1}`;
    expect(after.broadcast.rejected).toBe(forged);
    expect(after.rejectedRecords).toBe(forged);
    expect(after.seen[label]!.map((ping) => `${ping.from}:${ping.seq}`)).toEqual(['tab-1:0', 'tab-1:1', 'tab-1:2', 'tab-1:3', 'tab-1:4']);
    expect(after.eventsPublished).toBe(5);
    expect(after.polluted).toBeUndefined();
  }
});
