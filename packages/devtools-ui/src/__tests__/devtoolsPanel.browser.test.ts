import { defineEvent, InMemoryEventBus } from '@eventwire/core';
import { connectDevtools, createInPageChannel, createLiveClient, type ConnectDevtoolsOptions } from '@eventwire/devtools-bridge';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DevtoolsModel, DevtoolsPanel } from '../index.js';

const Clicked = defineEvent('Clicked', z.object({ n: z.number(), secret: z.string() }), { aggregateType: 'Button' });

/** The panel on a live bridge to `bus`, mounted in the page, with the few things the tests read and do. */
function mountPanel(bus: InMemoryEventBus, options: Omit<ConnectDevtoolsOptions, 'channel'>) {
  const [bridgeEnd, devtoolsEnd] = createInPageChannel();
  const bridge = connectDevtools(bus, { ...options, channel: bridgeEnd });
  const model = new DevtoolsModel(createLiveClient(devtoolsEnd), { notifyEveryMs: 20 });
  const host = document.createElement('div');
  host.style.height = '600px';
  document.body.append(host);
  const root = createRoot(host);
  root.render(createElement(DevtoolsPanel, { model }));
  return {
    bridge,
    model,
    host,
    badge: (): string => host.querySelector('[data-testid=event-count]')?.textContent ?? '',
    search(text: string): void {
      const input = host.querySelector<HTMLInputElement>('input[type=search]')!;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, text);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    unmount(): void {
      root.unmount();
      host.remove();
      bridge.close();
      model.close();
    },
  };
}

describe('DevtoolsPanel in Chromium', () => {
  it('shows 10,000 events with a bounded number of rows in the DOM, and finds one by search', async () => {
    const bus = new InMemoryEventBus({ name: 'panel' });
    bus.subscribe(Clicked, function count() {});
    bus.subscribeToAllEvents(function audit() {});
    // Every dispatch recorded (no burstLimit): the panel holds all 10,000.
    const { bridge, model, host, badge, search, unmount } = mountPanel(bus, { latency: 5, redact: ['secret'], burstLimit: Infinity });

    await vi.waitFor(() => expect(model.sources.size).toBe(1));
    for (let i = 0; i < 10_000; i++) bus.publishSync(Clicked.create({ n: i, secret: `s-${i}` }));
    bridge.flush();

    // The bridge's batch carries the newest 1000 records (maxBatch): the older 9000 events are a
    // gap, fetched only once its row is shown.
    await vi.waitFor(() => expect(badge()).toBe('1000 events · 9000 in gaps'), { timeout: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(badge()).toBe('1000 events · 9000 in gaps');
    expect(host.querySelector('[data-gap]')).toBeNull(); // following the tail: the gap is not in view
    const list = host.querySelector<HTMLElement>('.ewd-vlist')!;
    list.scrollTop = 0;
    list.dispatchEvent(new Event('scroll'));
    await vi.waitFor(() => expect(badge()).toBe('10000 events'), { timeout: 15_000 });
    expect(host.querySelector('[data-gap]')).toBeNull();
    expect(host.querySelector('.ewd-row')?.getAttribute('data-event-id')).toBe(model.events[0]!.event.id);
    expect(model.events.map((entry) => (entry.event as { data?: unknown }).data)).toEqual(model.events.map(() => undefined)); // summaries only
    const rows = host.querySelectorAll('.ewd-row');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(100); // virtualized: only what is in view
    expect(host.textContent).not.toContain('s-9999'); // redacted before it reached the panel

    search('"n":4242');
    await vi.waitFor(() => expect(badge()).toBe('1 of 10000'));
    (host.querySelector('.ewd-row') as HTMLElement).click();
    await vi.waitFor(() => expect(host.querySelector('[data-testid=event-detail]')?.textContent).toContain('4242'));
    expect(host.querySelector('[data-testid=event-detail]')?.textContent).toContain('[redacted]');
    unmount();
  });

  it("shows the events past the bridge's burstLimit as one counted row with nothing to fetch", async () => {
    const bus = new InMemoryEventBus({ name: 'limited' });
    bus.subscribe(Clicked, function count() {});
    const { model, host, badge, unmount } = mountPanel(bus, { latency: 20, burstLimit: 100 });

    await vi.waitFor(() => expect(model.sources.size).toBe(1));
    for (let i = 0; i < 1000; i++) bus.publishSync(Clicked.create({ n: i, secret: 'x' }));

    await vi.waitFor(() => expect(badge()).toBe('100 events · 900 in gaps'), { timeout: 15_000 });
    const list = host.querySelector<HTMLElement>('.ewd-vlist')!;
    list.scrollTop = list.scrollHeight;
    list.dispatchEvent(new Event('scroll'));
    const gap = await vi.waitFor(() => {
      const row = host.querySelector<HTMLElement>('[data-gap]');
      if (row === null) throw new Error('no gap row in view');
      return row;
    });
    expect(gap.getAttribute('data-gap')).toBe('unrecorded');
    expect(gap.textContent).toContain('900 events of a burst, counted but not recorded');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(badge()).toBe('100 events · 900 in gaps'); // shown, and nothing was fetched
    const view = [...model.sources.get(bus.id)!.subscriptions.values()][0]!;
    expect(view.delivered).toBe(1000);
    unmount();
  });

  it("shows each event's delivery to each handler with its outcome, from the bus's one summary per dispatch", async () => {
    const bus = new InMemoryEventBus({ name: 'deliveries', onHandlerError: () => {} });
    bus.subscribe(Clicked, function count() {});
    bus.subscribe(Clicked, function rejectOdd(event) {
      if (event.data.n % 2 === 1) throw new Error(`odd click ${event.data.n}`);
    });
    bus.subscribe(Clicked, async function saveLater() {
      await new Promise((resolve) => setTimeout(resolve, 1));
    });
    bus.subscribeToAllEvents(function audit() {});
    const { bridge, model, host, badge, search, unmount } = mountPanel(bus, { latency: 5 });

    await vi.waitFor(() => expect(model.sources.size).toBe(1));
    for (let i = 0; i < 40; i++) await bus.publish(Clicked.create({ n: i, secret: 'x' }));
    bridge.flush();
    await vi.waitFor(() => expect(badge()).toBe('40 events'));

    search('"n":7,');
    await vi.waitFor(() => expect(badge()).toBe('1 of 40'));
    (host.querySelector('.ewd-row') as HTMLElement).click();
    const delivery = (handler: string) => host.querySelector(`[data-testid=event-detail] [data-delivery="${handler}"]`)?.textContent ?? '';
    await vi.waitFor(() => expect(delivery('saveLater')).toContain('ok'));
    expect(delivery('count')).toContain('ok');
    expect(delivery('audit')).toContain('ok');
    expect(delivery('rejectOdd')).toContain('failed');
    await vi.waitFor(() => expect(host.querySelector('[data-testid=event-detail]')?.textContent).toContain('odd click 7'));
    unmount();
  });
});
