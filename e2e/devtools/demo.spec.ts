import { expect, test, type Page } from '@playwright/test';
import { withoutLiveReload } from './noReload.js';

// Not in test-results/: Playwright empties that folder at the start of every run, anyone's.
const shots = '.reports/devtools-screenshots';
const card = '4242 4242 4242 4242';

async function openDemo(page: Page, tab: string): Promise<void> {
  await page.goto(`/devtools/demo.html?tab=${tab}`);
  await expect(page.getByTestId('status-bar')).toContainText(`Orders tab ${tab}`);
}

async function placeOrder(page: Page, customer: string, total: number): Promise<void> {
  const form = page.getByTestId('order-form');
  await form.locator('input[name=customerName]').fill(customer);
  await form.locator('input[name=customerEmail]').fill(`${customer.toLowerCase().replace(/\s/g, '.')}@secret-mail.test`);
  await form.locator('input[name=totalAmount]').fill(String(total));
  await form.locator('input[name=cardNumber]').fill(card);
  await page.getByTestId('place-order').click();
  await expect(page.getByTestId('orders').getByText(customer).first()).toBeVisible();
}

test('two demo tabs and the devtools tab: subscriptions, deliveries, stats, topology, redaction', async ({ browser }) => {
  const context = await withoutLiveReload(await browser.newContext({ viewport: { width: 1440, height: 900 } }));
  const devtools = await context.newPage();
  await devtools.goto('/devtools/devtools.html');
  await expect(devtools.getByTestId('source-list')).toBeVisible();
  // Everything that crosses the devtools channel, as raw text: redacted values must never be in it.
  await devtools.evaluate(() => {
    const raw: string[] = [];
    (window as unknown as { rawDevtoolsTraffic: string[] }).rawDevtoolsTraffic = raw;
    new BroadcastChannel('eventwire-devtools').onmessage = (event: MessageEvent) => raw.push(JSON.stringify(event.data));
  });

  const tabA = await context.newPage();
  await openDemo(tabA, 'A');
  const tabB = await context.newPage();
  await openDemo(tabB, 'B');

  await placeOrder(tabA, 'Ada Lovelace', 120);
  await placeOrder(tabA, 'Grace Hopper', 80.5);
  await placeOrder(tabA, 'Big Spender', 990); // the inventory handler fails on this one
  await placeOrder(tabB, 'Alan Turing', 42);
  await placeOrder(tabB, 'Edsger Dijkstra', 64);
  await tabA.locator('tr', { hasText: 'Ada Lovelace' }).getByTestId('ship').click();
  await expect(tabA.locator('tr', { hasText: 'Ada Lovelace' })).toContainText('shipped');
  await tabA.locator('tr', { hasText: 'Grace Hopper' }).getByTestId('cancel').click();
  await expect(tabA.locator('tr', { hasText: 'Grace Hopper' })).toContainText('cancelled');
  await tabB.locator('tr', { hasText: 'Alan Turing' }).getByTestId('ship').click();
  await expect(tabB.locator('tr', { hasText: 'Alan Turing' })).toContainText('shipped');
  // Cross-tab sync: B sees A's orders and can change them; A sees it.
  await expect(tabB.locator('tr', { hasText: 'Ada Lovelace' })).toContainText('shipped');
  await tabB.locator('tr', { hasText: 'Big Spender' }).getByTestId('cancel').click();
  await expect(tabA.locator('tr', { hasText: 'Big Spender' })).toContainText('cancelled');
  await expect(tabA.getByTestId('role')).toContainText('leader');
  await expect(tabB.getByTestId('role')).toContainText('follower');

  // The demo with its embedded devtools open: the README's screenshot.
  await tabA.getByTestId('devtools-toggle').click();
  await expect(tabA.getByTestId('devtools-panel').locator('.ewd-row').first()).toBeVisible();
  await tabA.screenshot({ path: `${shots}/demo.png` });

  await devtools.bringToFront();
  const sources = devtools.getByTestId('source-list');
  await expect(sources.locator('[data-source-item="Orders tab A"]')).toBeVisible();
  await expect(sources.locator('[data-source-item="Orders tab B"]')).toBeVisible();
  await expect(sources.locator('[data-source-item="Projection worker · Orders tab A"]')).toContainText('worker');

  // Subscriptions: by type, the wildcard handler apart.
  await devtools.locator('[data-tab=subscriptions]').click();
  await sources.locator('[data-source-item="Orders tab A"]').click();
  const byType = devtools.getByTestId('subscriptions-by-type');
  const wildcard = devtools.getByTestId('subscriptions-wildcard');
  for (const handler of ['sendConfirmationEmail', 'reserveInventory', 'notifyCarrier', 'refundPayment', 'orderMetrics', 'forwardToProjectionWorker']) {
    await expect(byType.locator(`[data-handler="${handler}"]`).first()).toBeVisible();
  }
  await expect(byType.locator('[data-handler="auditLog"]')).toHaveCount(0);
  await expect(wildcard.locator('[data-handler="auditLog"]')).toBeVisible();
  await expect(byType.getByText('Order.*')).toBeVisible();
  await expect(byType.locator('[data-handler="reserveInventory"]').locator('.ewd-badge.err')).toHaveText('1');
  await sources.locator('[data-source-item="Projection worker · Orders tab A"]').click();
  await expect(byType.locator('[data-handler="OrderSummaryProjection"]').first()).toBeVisible(); // the projection runs in the worker
  await sources.locator('[data-source-item="Orders tab A"]').click();
  await devtools.screenshot({ path: `${shots}/subscriptions.png` });

  // Event flow: each event's deliveries, the failure, the causation chain, redacted data.
  await devtools.locator('[data-tab=flow]').click();
  await devtools.getByLabel('Search events').fill('Big Spender');
  await devtools.locator('.ewd-row[data-event-type=OrderPlaced]').first().click();
  const detail = devtools.getByTestId('event-detail');
  const diagram = detail.getByTestId('flow-diagram');
  for (const handler of ['sendConfirmationEmail', 'reserveInventory', 'orderMetrics', 'forwardToProjectionWorker', 'auditLog']) {
    await expect(diagram.locator(`[data-delivery="${handler}"]`)).toBeVisible();
  }
  await expect(diagram.locator('[data-delivery="reserveInventory"]')).toContainText('failed');
  await expect(diagram.locator('[data-delivery="auditLog"]')).toContainText('ok');
  await expect(detail).toContainText('Not enough stock');
  await expect(detail.getByTestId('causation-chain')).toContainText('CustomerNotified');
  await expect(detail).toContainText('[redacted]');
  await expect(detail).not.toContainText(card);
  await devtools.screenshot({ path: `${shots}/flow.png` });

  // All sources: both tabs' events in one flow.
  await sources.locator('[data-source-item=all]').click();
  await devtools.getByLabel('Search events').fill('');
  await expect(devtools.getByTestId('event-count')).toContainText(/\d+ events/);
  // Every order event is on four buses: the tab that published it, the other tab (BroadcastChannel)
  // and each tab's projection worker.
  // (The list is virtualized: count with the type filter, not with rows in the DOM.)
  const typeFilter = devtools.getByLabel('Event type');
  await typeFilter.selectOption('OrderShipped');
  await expect(devtools.getByTestId('event-count')).toContainText(/^8 of \d+$/);
  await typeFilter.selectOption('OrderCancelled');
  await expect(devtools.getByTestId('event-count')).toContainText(/^8 of \d+$/);
  await expect(devtools.locator('.ewd-row[data-event-type=OrderCancelled] .ewd-badge.accent').first()).toBeVisible(); // relayed: its transport shown
  await typeFilter.selectOption('');

  // Stats: the bus's counters and the rate charts.
  await devtools.locator('[data-tab=stats]').click();
  const published = devtools.locator('[data-stat="events published"] b');
  await expect(published).toHaveText(/^\d+$/);
  expect(Number(await published.textContent())).toBeGreaterThanOrEqual(2 * (5 + 5 + 4)); // 5 placed, 5 notifications, 4 changes, on both buses
  await expect(devtools.locator('[data-stat="handler errors"] b')).toHaveText('2'); // Big Spender's inventory check, in each tab
  await expect(devtools.locator('[data-chart="Events published / s"] svg path')).not.toHaveCount(0);
  await devtools.screenshot({ path: `${shots}/stats.png` });

  // Topology: both tabs.
  await devtools.locator('[data-tab=topology]').click();
  const topology = devtools.getByTestId('topology-diagram');
  await expect(topology.locator('[data-node="Orders tab A"]')).toBeVisible();
  await expect(topology.locator('[data-node="Orders tab B"]')).toBeVisible();
  await expect(topology.locator('[data-node="Orders tab A"]')).toContainText('leader');
  await expect(topology.locator('[data-link]')).not.toHaveCount(0);
  await expect(topology.locator('[data-node="Projection worker · Orders tab A"]')).toBeVisible();
  await sources.locator('[data-source-item="Orders tab A"]').click();
  await expect(devtools.locator('[data-projection="OrderSummaryProjection (worker)"]')).toContainText('caught up');
  await expect(devtools.locator('[data-store="indexeddb:eventwire-demo-orders"]')).toContainText('position');
  // History paged from the store, not from memory: every stored order event (5 placed, 4 changes).
  await devtools.getByRole('button', { name: 'First page' }).click();
  await expect(devtools.getByTestId('store-history').locator('tbody tr')).toHaveCount(9);
  // Dead letters with replay: the failed inventory check of Big Spender succeeds once restocked.
  const deadLetters = devtools.getByTestId('dead-letters');
  await expect(deadLetters.locator('tbody tr')).toHaveCount(1);
  await expect(deadLetters).toContainText('reserveInventory');
  await devtools.screenshot({ path: `${shots}/topology.png` });
  await expect(async () => {
    await deadLetters.getByRole('button', { name: 'Replay' }).click({ timeout: 1000 });
    await expect(deadLetters).toHaveCount(0, { timeout: 1500 });
  }).toPass({ timeout: 20_000 });

  // Redaction, end to end: nothing that crossed the channel holds the card number or an email.
  const traffic = await devtools.evaluate(() => (window as unknown as { rawDevtoolsTraffic: string[] }).rawDevtoolsTraffic);
  expect(traffic.some((message) => message.includes('Big Spender'))).toBe(true);
  for (const message of traffic) {
    expect(message).not.toContain(card);
    expect(message).not.toContain('@secret-mail.test');
  }
  await context.close();
});

test('the devtools export a session and open it again as a file', async ({ browser }) => {
  const context = await withoutLiveReload(await browser.newContext({ viewport: { width: 1440, height: 900 } }));
  const devtools = await context.newPage();
  await devtools.goto('/devtools/devtools.html');
  const demo = await context.newPage();
  await openDemo(demo, 'S');
  await placeOrder(demo, 'Session Sam', 12);
  await devtools.bringToFront();
  await devtools.getByTestId('source-list').locator('[data-source-item="Orders tab S"]').click();
  await expect(devtools.locator('.ewd-row[data-event-type=OrderPlaced]')).toHaveCount(1);
  const [download] = await Promise.all([devtools.waitForEvent('download'), devtools.getByTestId('export').click()]);
  const path = await download.path();
  const text = await (await import('node:fs/promises')).readFile(path, 'utf8');
  expect(text).toContain('Session Sam');
  expect(text).not.toContain(card);

  await demo.close();
  await devtools.getByTestId('import').setInputFiles({ name: 'session.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(devtools.getByTestId('status')).toHaveText('session file');
  await devtools.getByTestId('source-list').locator('[data-source-item="Orders tab S"]').click();
  await expect(devtools.locator('.ewd-row[data-event-type=OrderPlaced]')).toHaveCount(1);
  await devtools.locator('.ewd-row[data-event-type=OrderPlaced]').click();
  await expect(devtools.getByTestId('event-detail')).toContainText('Session Sam');
  await context.close();
});
