import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from './noReload.js';

type ViewApi = { checkpoint(): Promise<number>; applied(): Promise<number[]>; received(): number; append(count: number): Promise<void> };
const view = <T>(page: Page, fn: (api: ViewApi) => T | Promise<T>): Promise<T> => page.evaluate(`(${fn.toString()})(globalThis.view)`) as Promise<T>;
const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

async function open(context: BrowserContext, app: string, viewer: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/tabs/catchup.html?app=${app}&viewer=${viewer}`);
  await expect(page).toHaveTitle('ready', { timeout: 30_000 });
  return page;
}

test('a tab that was closed or frozen catches up from the event store on return, each event once', async ({ context }) => {
  test.setTimeout(120_000);
  const app = `catchup-${Date.now().toString(36)}`;
  const writer = await open(context, app, 'A');
  let reader = await open(context, app, 'B');
  await view(writer, (api) => api.append(50));
  await expect.poll(() => view(reader, (api) => api.checkpoint()), { timeout: 30_000 }).toBe(50);

  // Closed: 70 events are stored and published while the tab is gone.
  await reader.close();
  await view(writer, (api) => api.append(70));
  reader = await open(context, app, 'B');
  await expect.poll(() => view(reader, (api) => api.checkpoint()), { timeout: 30_000 }).toBe(120);
  expect(await view(reader, (api) => api.applied())).toEqual(upTo(120));
  expect(await view(reader, (api) => api.received())).toBe(0); // none of them came as a message

  // Frozen (page lifecycle): 30 more while it cannot run; thawed, it catches up.
  const cdp = await context.newCDPSession(reader);
  await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
  await view(writer, (api) => api.append(30));
  await cdp.send('Page.setWebLifecycleState', { state: 'active' });
  await expect.poll(() => view(reader, (api) => api.checkpoint()), { timeout: 30_000 }).toBe(150);
  expect(await view(reader, (api) => api.applied())).toEqual(upTo(150));
  expect(await view(writer, (api) => api.applied())).toEqual(upTo(150));
});
