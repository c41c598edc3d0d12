import { defineEvent, InMemoryEventBus } from '@eventwire/core';
import { connectDevtools, createInPageChannel, createLiveClient, createStaticClient, type ConnectDevtoolsOptions } from '@eventwire/devtools-bridge';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DevtoolsModel, matches, noFilter, RateSeries } from '../index.js';
import { withGaps } from '../model/eventGaps.js';

const OrderPlaced = defineEvent('OrderPlaced', z.object({ customerName: z.string(), totalAmount: z.number() }), { aggregateType: 'Order' });
const OrderShipped = defineEvent('OrderShipped', z.object({ carrier: z.string() }), { aggregateType: 'Order' });

/** A bus, a bridge on it (latency 1 ms unless `bridgeOptions` say otherwise) and a live model of it. */
function connected(name: string, bridgeOptions: Omit<ConnectDevtoolsOptions, 'channel'> = {}) {
  const bus = new InMemoryEventBus({ name, onHandlerError: () => {} });
  const [bridgeEnd, devtoolsEnd] = createInPageChannel();
  const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 1, label: name, ...bridgeOptions });
  const model = new DevtoolsModel(createLiveClient(devtoolsEnd), { notifyEveryMs: 1 });
  return { bus, bridge, model };
}

/** An inventory check that fails on every fourth amount. */
function subscribeReserveStock(bus: InMemoryEventBus): void {
  bus.subscribe(OrderPlaced, function reserveStock(event) {
    if (event.data.totalAmount % 4 === 0) throw new Error('out of stock');
  });
}

describe('DevtoolsModel', () => {
  it('shows a burst the bridge left out as a gap with exact counts, and puts its events in place once fetched', async () => {
    const { bus, bridge, model } = connected('burst', { latency: 60_000, maxBatch: 10 });
    subscribeReserveStock(bus);
    await vi.waitFor(() => expect(model.sources.get(bus.id)?.subscriptions.size).toBe(1));
    const early = OrderPlaced.create({ customerName: 'first', totalAmount: 1 });
    await bus.publish(early);
    bridge.flush();
    await vi.waitFor(() => expect(model.events).toHaveLength(1));
    const orders = Array.from({ length: 100 }, (_, n) => OrderPlaced.create({ customerName: `c${n}`, totalAmount: n }));
    await bus.publish(orders);
    bridge.flush();

    await vi.waitFor(() => expect(model.events).toHaveLength(11));
    expect(model.gaps).toMatchObject([{ events: 90, state: 'remote' }]);
    // The rows: the early event, the gap, the newest 10.
    const rows = withGaps(model.events, model.gaps);
    expect(rows[1]).toBe(model.gaps[0]);
    expect(rows.slice(2).map((row) => 'event' in row && row.event.id)).toEqual(orders.slice(-10).map((o) => o.id));
    // Counted by the bridge, the left-out events included.
    const view = [...model.sources.get(bus.id)!.subscriptions.values()][0]!;
    expect([view.delivered, view.failed]).toEqual([76, 25]);

    model.loadGap(model.gaps[0]!);
    expect(model.gaps[0]!.state).toBe('loading');
    await vi.waitFor(() => expect(model.events).toHaveLength(101));
    expect(model.gaps).toEqual([]);
    expect(model.events.map((entry) => entry.event.id)).toEqual([early, ...orders].map((o) => o.id));
    expect(model.events.filter((entry) => entry.failures === 1)).toHaveLength(25);
    expect([view.delivered, view.failed]).toEqual([76, 25]); // not counted twice
    // An export holds them in order too.
    const session = await model.exportSession(1000);
    const ids = session.sources[0]!.records.flatMap((record) => (record.type === 'published' ? [record.event.id] : []));
    expect(ids).toEqual([early, ...orders].map((o) => o.id));
    bridge.close();
    model.close();
  });

  it('rebuilds subscriptions, deliveries per handler, failures and causation from the bridge', async () => {
    const { bus, bridge, model } = connected('orders');
    bus.subscribe(OrderPlaced, function reserveStock() {});
    bus.subscribe('Order.*', function failingAudit() {
      throw new Error('audit down');
    });
    bus.subscribeToAllEvents(function auditLog() {});
    const placed = OrderPlaced.create({ customerName: 'Ann', totalAmount: 10 }, { aggregateId: 'o-1', correlationId: 'c-1' });
    const shipped = OrderShipped.create({ carrier: 'DHL' }, { aggregateId: 'o-1', causationId: placed.id, correlationId: 'c-1' });
    await bus.publish([placed, shipped]);

    await vi.waitFor(() => expect(model.events).toHaveLength(2));
    await vi.waitFor(() => expect(model.events[1]!.deliveries).toHaveLength(2));
    const source = model.sources.get(bus.id)!;
    expect(source.info.label).toBe('orders');
    const views = [...source.subscriptions.values()];
    expect(views.map((v) => [v.info.kind, v.info.key, v.info.handlerName])).toEqual([
      ['type', 'OrderPlaced', 'reserveStock'],
      ['pattern', 'Order.*', 'failingAudit'],
      ['wildcard', '*', 'auditLog'],
    ]);
    const [first, second] = model.events;
    expect(first!.deliveries.map((d) => [d.handlerName, d.outcome])).toEqual([
      ['reserveStock', 'ok'],
      ['failingAudit', 'failed'],
      ['auditLog', 'ok'],
    ]);
    expect(first!.failures).toBe(1);
    expect(model.causesOf(second!)).toEqual([first]);
    expect(model.childrenOf(first!)).toEqual([second]);
    expect(model.statsOf(undefined)).toMatchObject({ eventsPublished: 2, handlerErrors: 2 });
    expect(views.find((v) => v.info.handlerName === 'failingAudit')).toMatchObject({ failed: 2, delivered: 0 });
    // Payloads stay in the page: the text is searched there, types and ids here.
    expect(first!.payload).toBe('remote');
    expect(model.events.filter((e) => matches(e, { ...noFilter, text: 'dhl' }))).toEqual([]);
    model.searchPayloads('dhl');
    expect(model.searching).toBe(true);
    await vi.waitFor(() => expect(model.searching).toBe(false));
    expect(model.events.filter((e) => matches(e, { ...noFilter, text: 'dhl', payloadMatches: model.payloadMatches }))).toEqual([second]);
    expect(model.events.filter((e) => matches(e, { ...noFilter, text: 'ordershipped' }))).toEqual([second]);
    // The detail: payload and whole errors fetched on demand.
    expect(first!.deliveries[1]!.error).toEqual({ name: 'Error', message: 'audit down' });
    model.loadDetail(first!);
    expect(first!.payload).toBe('loading');
    await vi.waitFor(() => expect(first!.payload).toBe('whole'));
    expect(first!.event).toEqual(placed);
    expect(first!.deliveries[1]!.error).toMatchObject({ message: 'audit down', stack: expect.stringContaining('audit down') });
    expect(model.events.filter((e) => matches(e, { ...noFilter, errorsOnly: true }))).toHaveLength(2);
    bridge.close();
    model.close();
  });

  it('marks a removed subscription as removed and keeps its counts', async () => {
    const { bus, bridge, model } = connected('subs');
    const off = bus.subscribe(OrderPlaced, function shortLived() {});
    await bus.publish(OrderPlaced.create({ customerName: 'A', totalAmount: 1 }));
    off();
    await vi.waitFor(() => expect([...model.sources.get(bus.id)!.subscriptions.values()][0]).toMatchObject({ active: false, delivered: 1 }));
    bridge.close();
    model.close();
  });

  it('exports a session that a static client opens with the same events', async () => {
    const { bus, bridge, model } = connected('export');
    bus.subscribeToAllEvents(function audit() {});
    for (let i = 0; i < 20; i++) await bus.publish(OrderPlaced.create({ customerName: `c${i}`, totalAmount: i }));
    await vi.waitFor(() => expect(model.events).toHaveLength(20));
    const file = JSON.stringify(await model.exportSession());
    const reopened = new DevtoolsModel(createStaticClient(file));
    expect(reopened.client.mode).toBe('static');
    expect(reopened.events.map((e) => e.event.id)).toEqual(model.events.map((e) => e.event.id));
    // The payloads were fetched from the bridge for the file.
    expect(reopened.events.every((e) => e.payload === 'whole')).toBe(true);
    expect(reopened.events[3]!.event.data).toEqual({ customerName: 'c3', totalAmount: 3 });
    expect(reopened.events.every((e) => e.deliveries.length === 1)).toBe(true);
    expect(reopened.statsOf(undefined).eventsPublished).toBe(20);
    bridge.close();
    model.close();
  });

  it("files each delivery under its own event: an async one that settles after later events, none after Clear", async () => {
    const { bus, bridge, model } = connected('late');
    let settle: () => void = () => {};
    bus.subscribe(OrderPlaced, function slowEmail() {
      return new Promise<void>((resolve) => (settle = resolve));
    });
    bus.subscribe(OrderShipped, function track() {});
    const placed = OrderPlaced.create({ customerName: 'Ann', totalAmount: 10 });
    bus.publishSync(placed);
    bus.publishSync(OrderShipped.create({ carrier: 'DHL' }));
    await vi.waitFor(() => expect(model.events.map((e) => e.deliveries.length)).toEqual([0, 1]));
    settle();
    await vi.waitFor(() => expect(model.events[0]!.deliveries.map((d) => d.handlerName)).toEqual(['slowEmail']));
    expect(model.events[1]!.deliveries.map((d) => d.handlerName)).toEqual(['track']);

    // After Clear, a late delivery of a forgotten event is not filed under it.
    bus.publishSync(OrderPlaced.create({ customerName: 'Bo', totalAmount: 5 }));
    await vi.waitFor(() => expect(model.events).toHaveLength(3));
    const forgotten = model.events[2]!;
    model.clear();
    settle();
    await new Promise((resolve) => setTimeout(resolve, 30)); // its delivery reaches the model
    bus.publishSync(OrderShipped.create({ carrier: 'UPS' }));
    await vi.waitFor(() => expect(model.events.map((e) => e.deliveries.length)).toEqual([1]));
    expect(forgotten.deliveries).toEqual([]);
    bridge.close();
    model.close();
  });

  it('counts rates per second, also when a record comes late for an earlier second', () => {
    const series = new RateSeries(60);
    series.add(10_100, 'published');
    series.add(10_900, 'published');
    series.add(11_000, 'invoked', 3);
    series.add(10_500, 'errors');
    series.add(11_999, 'published');
    expect(series.points(11_000, 2)).toEqual([
      { t: 10_000, published: 2, invoked: 0, errors: 1, background: 0 },
      { t: 11_000, published: 1, invoked: 3, errors: 0, background: 0 },
    ]);
    series.clear();
    series.add(11_500, 'published');
    expect(series.points(11_000, 1)).toEqual([{ t: 11_000, published: 1, invoked: 0, errors: 0, background: 0 }]);
  });

  it("shows the events past a bridge's burstLimit as a gap that counts them and fetches nothing, also in an exported session", async () => {
    const { bus, bridge, model } = connected('limited', { latency: 10, burstLimit: 5 });
    subscribeReserveStock(bus);
    await vi.waitFor(() => expect(model.sources.get(bus.id)?.subscriptions.size).toBe(1));
    for (let n = 1; n <= 40; n++) bus.publishSync(OrderPlaced.create({ customerName: `c${n}`, totalAmount: n }));

    await vi.waitFor(() => expect(model.gaps).toMatchObject([{ events: 35, state: 'unrecorded' }]));
    expect(model.events).toHaveLength(5);
    expect(withGaps(model.events, model.gaps).at(-1)).toBe(model.gaps[0]); // after the five it recorded
    const view = [...model.sources.get(bus.id)!.subscriptions.values()][0]!;
    expect([view.delivered, view.failed]).toEqual([30, 10]);
    expect(model.loadGap(model.gaps[0]!)).toBeUndefined(); // nothing to fetch
    // Published after the period: recorded again, listed after the gap.
    const later = OrderPlaced.create({ customerName: 'later', totalAmount: 1 });
    await bus.publish(later);
    await vi.waitFor(() => expect(model.events.at(-1)?.event.id).toBe(later.id));

    const session = await model.exportSession(1000);
    const replayed = new DevtoolsModel(createStaticClient(session));
    await vi.waitFor(() => expect(replayed.gaps).toMatchObject([{ events: 35, state: 'unrecorded' }]));
    const replayedView = [...replayed.sources.get(bus.id)!.subscriptions.values()][0]!;
    expect([replayedView.delivered, replayedView.failed]).toEqual([31, 10]);
    bridge.close();
    model.close();
    replayed.close();
  });

  it('takes 10,000 events and keeps at most maxEvents of them', async () => {
    const bus = new InMemoryEventBus({ name: 'burst' });
    const [bridgeEnd, devtoolsEnd] = createInPageChannel();
    // Every event recorded (no burst limit): the model is what bounds them here.
    const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 1, maxAge: 20_000, burstLimit: Infinity });
    const model = new DevtoolsModel(createLiveClient(devtoolsEnd), { maxEvents: 4000 });
    bus.subscribe(OrderPlaced, function count() {});
    await vi.waitFor(() => expect(model.sources.size).toBe(1));
    await vi.waitFor(() => expect(model.sources.get(bus.id)!.log.length).toBeGreaterThan(0));
    for (let i = 0; i < 10_000; i++) bus.publishSync(OrderPlaced.create({ customerName: `c${i}`, totalAmount: i }));
    bridge.flush();
    await vi.waitFor(() => expect(model.statsOf(undefined).eventsPublished).toBe(10_000));
    expect(model.events.length).toBeLessThanOrEqual(4400);
    const last = model.events.at(-1)!;
    model.loadDetail(last);
    await vi.waitFor(() => expect(last.payload).toBe('whole'));
    expect(last.event.data).toMatchObject({ customerName: 'c9999' });
    expect(model.sources.get(bus.id)!.events.at(-1)).toBe(model.events.at(-1));
    // The log an export saves is trimmed with the events: a published and a delivered record per
    // kept event, and the records that describe the bus.
    const log = model.sources.get(bus.id)!.log;
    expect(log.length).toBeLessThanOrEqual(2 * model.events.length + 10);
    expect(log.filter((record) => record.type === 'published').length).toBe(model.sources.get(bus.id)!.events.length);
    expect(log.some((record) => record.type === 'subscribed' || record.type === 'init')).toBe(true);
    bridge.close();
    model.close();
  });
});
