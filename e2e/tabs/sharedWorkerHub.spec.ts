import type { Page } from '@playwright/test';
import { expect, test } from './noReload.js';

interface SeenPing {
  id: string;
  from: string;
  seq: number;
}
interface TabState {
  seen: Record<string, SeenPing[]>;
  broadcast: { sent: number; received: number; duplicates: number; rejected: number };
}
type TabApi = { publish(start: number, count: number): Promise<void>; leave(): Promise<void>; state(): TabState };
const state = (page: Page): Promise<TabState> => page.evaluate(() => (globalThis as unknown as { tab: TabApi }).tab.state());

test('tabs joined through a SharedWorker hub: every event reaches every tab exactly once, in order, never echoed; a tab that leaves is dropped', async ({ context }) => {
  test.setTimeout(120_000);
  const app = `hub-${Date.now().toString(36)}`;
  const labels = ['tab-1', 'tab-2', 'tab-3'];
  const tabs: Page[] = [];
  for (const label of labels) {
    const page = await context.newPage();
    await page.goto(`/tabs/relay.html?app=${app}&label=${label}&hub=1`);
    await expect(page).toHaveTitle('ready', { timeout: 30_000 });
    tabs.push(page);
  }
  const perTab = 200;
  await Promise.all(tabs.map((tab) => tab.evaluate(([s, c]) => (globalThis as unknown as { tab: TabApi }).tab.publish(s!, c!), [0, perTab])));
  for (const tab of tabs) await expect.poll(async () => Object.values((await state(tab)).seen)[0]!.length, { timeout: 60_000 }).toBe(perTab * 3);

  for (const [i, tab] of tabs.entries()) {
    const { seen, broadcast } = await state(tab);
    const pings = seen[labels[i]!]!;
    expect(new Set(pings.map((ping) => ping.id)).size).toBe(pings.length);
    for (const label of labels) {
      expect(pings.filter((ping) => ping.from === label).map((ping) => ping.seq)).toEqual(Array.from({ length: perTab }, (_, seq) => seq));
    }
    // The hub sent each tab only the other tabs' events; the tab sent only its own.
    expect(broadcast.sent).toBe(perTab);
    expect(broadcast.received).toBe(perTab * 2);
    expect(broadcast.duplicates).toBe(0);
  }

  // tab-3 leaves; the other two go on, and its bus hears nothing more.
  await tabs[2]!.evaluate(() => (globalThis as unknown as { tab: TabApi }).tab.leave());
  await tabs[0]!.evaluate(() => (globalThis as unknown as { tab: TabApi }).tab.publish(200, 1));
  await expect.poll(async () => (await state(tabs[1]!)).seen['tab-2']!.length, { timeout: 30_000 }).toBe(perTab * 3 + 1);
  expect((await state(tabs[2]!)).seen['tab-3']!.length).toBe(perTab * 3);
});
