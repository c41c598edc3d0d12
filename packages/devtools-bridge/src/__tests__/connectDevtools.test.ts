import { InMemoryEventStore } from '@eventwire/core';
import { describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION, REDACTED, connectDevtools, createInPageChannel, decodeBridgeMessage } from '../index.js';
import { OrderPlaced, OrderShipped, recordsOf, setup, waitForMessage } from './helpers.js';

const order = (n: number) =>
  OrderPlaced.create({ customerName: `c${n}`, totalAmount: n, cardNumber: '4242', customerEmail: 'a@b.c' }, { aggregateId: `o-${n}` });

describe('connectDevtools', () => {
  it('says hello, sends nothing more until a devtools connects, then a snapshot that starts with init', async () => {
    const { bus, bridgeEnd, received } = setup();
    bus.subscribe(OrderPlaced, function notifyCustomer() {});
    bus.subscribeToAllEvents(function auditLog() {});
    await bus.publish(order(1)); // before the bridge: not in its history
    const bridge = connectDevtools(bus, { channel: bridgeEnd, label: 'orders tab', latency: 5 });
    await bus.publish(order(2));

    const hello = await waitForMessage(received, 'hello');
    expect(hello.source).toMatchObject({ id: bus.id, busName: bus.name, label: 'orders tab' });
    const snapshot = await waitForMessage(received, 'snapshot');
    const [init, ...rest] = snapshot.records;
    expect(init?.type).toBe('init');
    expect(init?.type === 'init' && init.subscriptions.map((s) => [s.kind, s.handlerName])).toEqual([
      ['type', 'notifyCustomer'],
      ['wildcard', 'auditLog'],
    ]);
    expect(rest.map((record) => record.type)).toEqual(['published', 'delivered', 'delivered']);
    expect(snapshot.stats.eventsPublished).toBe(2);
    bridge.close();
  });

  it('streams live records in batches, with deliveries per handler and failures', async () => {
    const { bus, bridgeEnd, received } = setup();
    const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 5 });
    await waitForMessage(received, 'snapshot');
    bus.subscribe(OrderShipped, async function slowCarrier() {
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    bus.subscribe('Order.*', function flakyInventory() {
      throw new Error('out of stock');
    });
    const shipped = OrderShipped.create({ trackingNumber: 'T1' }, { aggregateId: 'o-1' });
    await bus.publish(shipped);

    const batch = await waitForMessage(received, 'batch', (message) => message.records.some((r) => r.type === 'failed'));
    expect(batch.stats.handlerErrors).toBe(1);
    await vi.waitFor(() => expect(recordsOf(received).some((r) => r.type === 'delivered')).toBe(true));
    const records = recordsOf(received);
    expect(records.filter((r) => r.type === 'subscribed')).toHaveLength(2);
    const failed = records.find((r) => r.type === 'failed');
    expect(failed).toMatchObject({ eventId: shipped.id, error: { message: 'out of stock' } });
    const delivered = records.find((r) => r.type === 'delivered');
    expect(delivered?.type === 'delivered' && delivered.durationMs).toBeGreaterThan(0);
    bridge.close();
    expect(bridgeEnd.sent.at(-1)?.kind).toBe('bye');
  });

  it('inspects with one summary per dispatch, and the devtools still get each delivery to each handler, live and in a late snapshot', async () => {
    const { bus, bridgeEnd, received } = setup();
    const inspect = vi.spyOn(bus, 'inspect');
    bus.subscribe(OrderPlaced, function reserve(event) {
      if (event.data.totalAmount % 2 === 1) throw new Error('odd');
    });
    bus.subscribe(OrderPlaced, async function email() {});
    bus.subscribeToAllEvents(function audit() {});
    const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 5, maxAge: 40, timeOneIn: 4 });
    expect(inspect.mock.calls[0]?.[1]).toMatchObject({ summarize: true, timeOneIn: 4 });
    await waitForMessage(received, 'snapshot');
    const orders = Array.from({ length: 8 }, (_, n) => order(n));
    for (const placed of orders) await bus.publish(placed);
    bridge.flush();

    const outcomes = (records: readonly ReturnType<typeof recordsOf>[number][]) =>
      orders.map((placed) =>
        records
          .filter((r) => (r.type === 'delivered' || r.type === 'failed') && r.eventId === placed.id)
          .map((r) => `${r.type}:${bus.getSubscriptions().find((s) => 'subscriptionId' in r && s.id === r.subscriptionId)?.handlerName}`)
          .sort(),
      );
    const each = orders.map((placed) => (placed.data.totalAmount % 2 === 1 ? ['delivered:audit', 'delivered:email', 'failed:reserve'] : ['delivered:audit', 'delivered:email', 'delivered:reserve']));
    await vi.waitFor(() => expect(outcomes(recordsOf(received))).toEqual(each));
    // One dispatch in 4 timed: its deliveries carry durations.
    expect(recordsOf(received).filter((r) => r.type === 'delivered' && r.durationMs !== undefined).length).toBeGreaterThanOrEqual(4);

    // A devtools that connects late to a bridge (a second one on this bus) gets what it keeps
    // in its snapshot, with the same deliveries in it.
    const direct = createInPageChannel();
    const second = connectDevtools(bus, { channel: direct[0], maxAge: 100 });
    for (const placed of orders) await bus.publish(placed);
    const wire: unknown[] = [];
    direct[1].onMessage((message) => wire.push(message));
    direct[1].send({ protocol: PROTOCOL_VERSION, kind: 'connect', target: '*' });
    await vi.waitFor(() => expect(wire.some((m) => (m as { kind: string }).kind === 'snapshot')).toBe(true));
    const snapshot = decodeBridgeMessage(JSON.parse(JSON.stringify(wire.find((m) => (m as { kind: string }).kind === 'snapshot'))));
    if (snapshot?.kind !== 'snapshot') throw new Error('expected a snapshot');
    expect(snapshot.skipped).toBeUndefined();
    expect(outcomes(snapshot.records)).toEqual(each);
    second.close();
    bridge.close();
  });

  it('under a burst, a batch carries the newest maxBatch records and leaves the older events out, with exact totals; the devtools fetch them by range', async () => {
    const { bus, bridgeEnd, received, client } = setup();
    bus.subscribe(OrderPlaced, function reserve(event) {
      if (event.data.totalAmount % 4 === 0) throw new Error('out of stock');
    });
    bus.subscribeToAllEvents(function audit() {});
    const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 60_000, maxBatch: 10 });
    await waitForMessage(received, 'snapshot');
    bus.report({ type: 'leader', election: 'projections', isLeader: true, leaderId: 'tab-1' });
    const orders = Array.from({ length: 100 }, (_, n) => order(n));
    await bus.publish(orders);
    bridge.flush();

    const batch = await waitForMessage(received, 'batch');
    // The newest 10 records (one summarized dispatch per event), and the leader record, which is never left out.
    expect(batch.records.filter((r) => r.type === 'published').map((r) => r.type === 'published' && r.event.id)).toEqual(orders.slice(-10).map((o) => o.id));
    expect(batch.records.some((r) => r.type === 'leader')).toBe(true);
    expect(batch.skipped).toMatchObject({ events: 90, deadLetters: 0 });
    const [reserve, audit] = bus.getSubscriptions();
    expect(batch.totals[reserve!.id]?.slice(0, 2)).toEqual([75, 25]);
    expect(batch.totals[audit!.id]?.slice(0, 2)).toEqual([100, 0]);

    client.send({ kind: 'get-range', target: bus.id, from: batch.skipped!.from, to: batch.skipped!.to });
    const range = await waitForMessage(received, 'range');
    expect(range.missing).toBe(0);
    expect(range.records.filter((r) => r.type === 'published').map((r) => r.type === 'published' && r.event.id)).toEqual(orders.slice(0, 90).map((o) => o.id));
    expect(range.records.filter((r) => r.type === 'failed')).toHaveLength(23); // 0, 4, ..., 88
    expect(range.records.some((r) => r.type === 'leader')).toBe(false); // sent with the batch already
    bridge.close();
  });

  it('past its burstLimit, a burst runs uninspected: the devtools get its first dispatches, then one unrecorded record, and exact totals', async () => {
    const { bus, bridgeEnd, received } = setup();
    bus.subscribe(OrderPlaced, function reserve(event) {
      if (event.data.totalAmount % 4 === 0) throw new Error('out of stock');
    });
    bus.subscribeToAllEvents(async function audit() {});
    const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 20, burstLimit: 10 });
    await waitForMessage(received, 'snapshot');
    const orders = Array.from({ length: 100 }, (_, n) => order(n));
    for (const event of orders) bus.publishSync(event);

    const batch = await waitForMessage(received, 'batch', (message) => message.records.some((record) => record.type === 'unrecorded'));
    const published = recordsOf(received).filter((record) => record.type === 'published');
    expect(published.map((record) => record.type === 'published' && record.event.id)).toEqual(orders.slice(0, 10).map((o) => o.id));
    const unrecorded = batch.records.find((record) => record.type === 'unrecorded');
    const [reserve, audit] = bus.getSubscriptions();
    expect(unrecorded).toMatchObject({ events: 90, deliveries: { [reserve!.id]: [90, 22], [audit!.id]: [90, 0] } }); // 12, 16, ..., 96 failed
    expect(batch.totals[reserve!.id]?.slice(0, 2)).toEqual([75, 25]);
    expect(batch.totals[audit!.id]?.slice(0, 2)).toEqual([100, 0]);
    expect(batch.stats).toMatchObject({ eventsPublished: 100, handlerErrors: 25 });
    // The uninspected ones left no record of their own on the wire.
    const recordsAboutEvents = bridgeEnd.sent.flatMap((message) => ('packed' in message ? [JSON.stringify(message.packed)] : [])).join('');
    for (const o of orders.slice(10)) expect(recordsAboutEvents).not.toContain(o.id);
    bridge.close();
    expect(() => connectDevtools(bus, { channel: createInPageChannel()[0], burstLimit: 0 })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
  });

  it('a burst bigger than its ring: the range says how many records were overwritten, the totals still count every delivery', async () => {
    const { bus, bridgeEnd, received, client } = setup();
    bus.subscribe(OrderPlaced, function notifyCustomer() {});
    const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 60_000, maxBatch: 10, maxAge: 40, burstLimit: Infinity });
    await waitForMessage(received, 'snapshot');
    bus.report({ type: 'peer', status: 'joined', peer: { id: 'tab-2', kind: 'tab' } });
    await bus.publish(Array.from({ length: 500 }, (_, n) => order(n)));
    bridge.flush();
    const batch = await waitForMessage(received, 'batch');
    expect(batch.records.filter((r) => r.type === 'published')).toHaveLength(10);
    // The peer record was overwritten in the ring before the batch: it was kept aside and sent.
    expect(batch.records.some((r) => r.type === 'peer')).toBe(true);
    expect(batch.skipped).toMatchObject({ events: 490 });
    expect(batch.totals[bus.getSubscriptions()[0]!.id]?.[0]).toBe(500);

    client.send({ kind: 'get-range', target: bus.id, from: batch.skipped!.from, to: batch.skipped!.to });
    const range = await waitForMessage(received, 'range');
    expect(range.records.filter((r) => r.type === 'published')).toHaveLength(30); // 40 kept, 10 of them sent
    expect(range.missing).toBe(batch.skipped!.to - batch.skipped!.from - 30);
    bridge.close();
  });

  it("a range brings its events' later async deliveries, also the ones later batches left out", async () => {
    const { bus, bridgeEnd, received, client } = setup();
    let release: () => void = () => {};
    const later = new Promise<void>((resolve) => (release = resolve));
    bus.subscribe(OrderPlaced, async function emailLater() {
      await later;
    });
    const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 60_000, maxBatch: 10 });
    await waitForMessage(received, 'snapshot');
    const orders = Array.from({ length: 50 }, (_, n) => order(n));
    for (const placed of orders) bus.publishSync(placed); // the email handlers run in the background
    bridge.flush(); // 50 dispatches and 50 background tasks started: the newest 10 records sent, 45 dispatches left out
    const first = await waitForMessage(received, 'batch');
    expect(first.skipped).toMatchObject({ events: 45 });
    release();
    await vi.waitFor(() => expect(bus.getStats().backgroundTasksCompleted).toBe(50));
    bridge.flush(); // the 50 deliveries: the newest ones sent (of events the devtools have or not), the others left out
    await vi.waitFor(() => expect(received.filter((m) => m.kind === 'batch')).toHaveLength(2));

    client.send({ kind: 'get-range', target: bus.id, from: first.skipped!.from, to: first.skipped!.to });
    const range = await waitForMessage(received, 'range');
    const gapIds = new Set(orders.slice(0, 45).map((o) => o.id));
    const delivered = range.records.filter((r) => r.type === 'delivered' && gapIds.has(r.eventId));
    expect(delivered).toHaveLength(45); // each gap event's async delivery, whatever batch it went to
    expect(range.records.filter((r) => r.type === 'delivered')).toHaveLength(45); // and no other
    bridge.close();
  });

  it('answers a get-range of numbers that are not record numbers with a failed result', async () => {
    const { bus, bridgeEnd, received, client } = setup();
    const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 5 });
    await waitForMessage(received, 'snapshot');
    const commandId = client.send({ kind: 'get-range', target: bus.id, from: 10, to: 2 });
    const result = await waitForMessage(received, 'result', (message) => message.commandId === commandId);
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('INVALID_ARGUMENT');
    await bus.publish(order(1)); // the bridge keeps working
    await waitForMessage(received, 'batch');
    bridge.close();
  });

  it('keeps at most maxAge records for late devtools, but keeps the topology and the subscriptions', async () => {
    const { bus } = setup();
    bus.subscribe(OrderPlaced, function early() {});
    const [bridgeEnd, devtoolsEnd] = createInPageChannel();
    const bridge = connectDevtools(bus, { channel: bridgeEnd, maxAge: 20 });
    bus.report({ type: 'leader', election: 'projections', isLeader: true, leaderId: 'tab-1' });
    for (let i = 0; i < 100; i++) await bus.publish(order(i));

    const late: unknown[] = [];
    devtoolsEnd.onMessage((message) => late.push(message));
    devtoolsEnd.send({ protocol: PROTOCOL_VERSION, kind: 'connect', target: '*' });
    await vi.waitFor(() => expect(late.some((m) => (m as { kind: string }).kind === 'snapshot')).toBe(true));
    const snapshot = decodeBridgeMessage(late.find((m) => (m as { kind: string }).kind === 'snapshot'));
    if (snapshot?.kind !== 'snapshot') throw new Error('expected a snapshot');
    // init, the leader, and the 20 kept records: each a dispatch summarized (an event with its delivery).
    expect(snapshot.records.filter((r) => r.type !== 'published' && r.type !== 'delivered')).toHaveLength(2);
    expect(snapshot.records.filter((r) => r.type === 'published')).toHaveLength(20);
    expect(snapshot.stats.eventsPublished).toBe(100);
    // The totals count every delivery, also of the events the bridge no longer keeps.
    const init = snapshot.records[0];
    expect(init?.type === 'init' && init.subscriptions.map((s) => s.handlerName)).toEqual(['early']);
    expect(snapshot.totals?.[bus.getSubscriptions()[0]!.id]?.[0]).toBe(100);
    expect(snapshot.records.some((r) => r.type === 'leader' && r.leaderId === 'tab-1')).toBe(true);
    bridge.close();
  });
});

describe('payloads on demand', () => {
  it('streams events without their payload, and sends it, redacted, with the whole errors when asked', async () => {
    const { bus, bridgeEnd, received, client } = setup();
    bus.subscribe(OrderPlaced, function declines() {
      throw Object.assign(new Error('card declined'), { details: { cardNumber: '4242' } });
    });
    bus.subscribe(OrderPlaced, function ok() {});
    const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 1, redact: ['cardNumber'] });
    await waitForMessage(received, 'snapshot');
    const placed = OrderPlaced.create({ customerName: 'Ann Lee', totalAmount: 5, cardNumber: '4242', customerEmail: 'a@b.c' }, { aggregateId: 'o-9', correlationId: 'corr-1' });
    const caused = OrderShipped.create({ trackingNumber: 'T9' }, { aggregateId: 'o-9', causationId: placed.id, correlationId: 'corr-1' });
    await bus.publish(placed);
    await bus.publish(caused);
    await vi.waitFor(() => expect(recordsOf(received).filter((r) => r.type === 'published')).toHaveLength(2));
    const [first, second] = recordsOf(received).filter((r) => r.type === 'published');
    expect(first).toMatchObject({ summary: true, source: 'local', event: { id: placed.id, type: 'OrderPlaced', aggregateType: 'Order', aggregateId: 'o-9', correlationId: 'corr-1' } });
    expect(second).toMatchObject({ event: { id: caused.id, causationId: placed.id, correlationId: 'corr-1' } });
    expect(first?.type === 'published' && 'data' in first.event).toBe(false);
    const failed = recordsOf(received).find((r) => r.type === 'failed');
    expect(failed).toMatchObject({ eventId: placed.id, error: { name: 'Error', message: 'card declined' } });
    expect(failed?.type === 'failed' && failed.error.stack).toBeUndefined();
    for (const message of bridgeEnd.sent) expect(JSON.stringify(message)).not.toContain('Ann Lee');

    const commandId = client.send({ kind: 'get-events', target: bus.id, eventIds: [placed.id, 'gone'] });
    const answer = await waitForMessage(received, 'events', (m) => m.commandId === commandId);
    expect(answer.missing).toEqual(['gone']);
    expect(answer.events).toHaveLength(1);
    expect(answer.events[0]!.event).toEqual({ ...placed, data: { ...placed.data, cardNumber: REDACTED } });
    expect(answer.events[0]!.errors).toHaveLength(1);
    expect(answer.events[0]!.errors[0]!.error).toMatchObject({ message: 'card declined', stack: expect.stringContaining('card declined') });
    bridge.close();
  });

  it('keeps the events of its last maxAge records for details, searches their redacted payloads', async () => {
    const { bus, bridgeEnd, received, client } = setup();
    // No handler: one summarized dispatch, one record, per event.
    const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 1, maxAge: 50, redact: ['cardNumber'] });
    const events = Array.from({ length: 80 }, (_, n) => OrderPlaced.create({ customerName: n % 2 ? `Odd ${n}` : `Even ${n}`, totalAmount: n, cardNumber: 'secret-card', customerEmail: 'x' }));
    await bus.publish(events);
    const ids = events.map((event) => event.id);
    const commandId = client.send({ kind: 'get-events', target: bus.id, eventIds: ids });
    const answer = await waitForMessage(received, 'events', (m) => m.commandId === commandId);
    expect(answer.events.map((detail) => detail.event.id).sort()).toEqual(ids.slice(30).sort());
    expect(answer.missing).toEqual(ids.slice(0, 30));

    const search = client.send({ kind: 'search', target: bus.id, text: 'ODD' });
    const found = await waitForMessage(received, 'found', (m) => m.commandId === search);
    expect(found.searched).toBe(50);
    expect(found.eventIds).toEqual(ids.filter((_, n) => n >= 30 && n % 2 === 1));
    const secret = client.send({ kind: 'search', target: bus.id, text: 'secret-card' });
    expect((await waitForMessage(received, 'found', (m) => m.commandId === secret)).eventIds).toEqual([]);

    const replay = client.send({ kind: 'replay-event', target: bus.id, eventId: ids[40]! });
    expect((await waitForMessage(received, 'result', (m) => m.commandId === replay)).ok).toBe(true);
    const gone = client.send({ kind: 'replay-event', target: bus.id, eventId: ids[0]! });
    expect((await waitForMessage(received, 'result', (m) => m.commandId === gone)).error?.code).toBe('INVALID_ARGUMENT');
    bridge.close();
  });
});

describe('devtools commands', () => {
  it('pause stops recording and resume starts again; dropped records are counted', async () => {
    const { bus, bridgeEnd, received, client } = setup();
    const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 5 });
    await waitForMessage(received, 'snapshot');
    client.send({ kind: 'pause', target: bus.id, paused: true });
    const paused = await waitForMessage(received, 'status', (m) => m.paused);
    expect(paused.paused).toBe(true);
    expect(bridge.paused).toBe(true);
    await bus.publish(order(1));
    client.send({ kind: 'pause', target: bus.id, paused: false });
    const resumed = await waitForMessage(received, 'status', (m) => !m.paused);
    expect(resumed.dropped).toBeGreaterThanOrEqual(1);
    await bus.publish(order(2));
    await vi.waitFor(() => expect(recordsOf(received).filter((r) => r.type === 'published')).toHaveLength(1));
    const published = recordsOf(received).find((r) => r.type === 'published');
    expect(published?.type === 'published' && published.event).toMatchObject({ type: 'OrderPlaced', aggregateId: 'o-2' });
    bridge.close();
  });

  it('replays a recorded event on the bus', async () => {
    const { bus, bridgeEnd, received, client } = setup();
    const seen: string[] = [];
    bus.subscribe(OrderPlaced, (event) => void seen.push(event.id));
    const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 5 });
    const event = order(7);
    await bus.publish(event);
    const commandId = client.send({ kind: 'replay-event', target: bus.id, eventId: event.id });
    const result = await waitForMessage(received, 'result', (m) => m.commandId === commandId);
    expect(result.ok).toBe(true);
    expect(seen).toEqual([event.id, event.id]);

    const missing = client.send({ kind: 'replay-event', target: bus.id, eventId: 'nope' });
    const failure = await waitForMessage(received, 'result', (m) => m.commandId === missing);
    expect(failure).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    bridge.close();
  });

  it('replays a dead letter through the app, and says so clearly when there is no dead-letter store', async () => {
    const { bus, bridgeEnd, received, client } = setup();
    const replayed: string[] = [];
    const bridge = connectDevtools(bus, { channel: bridgeEnd, replayDeadLetter: async (id, consumer) => void replayed.push(`${consumer}:${id}`) });
    const commandId = client.send({ kind: 'replay-dead-letter', target: bus.id, eventId: 'e1', consumer: 'inventory' });
    expect((await waitForMessage(received, 'result', (m) => m.commandId === commandId)).ok).toBe(true);
    expect(replayed).toEqual(['inventory:e1']);
    bridge.close();

    const other = setup();
    const plain = connectDevtools(other.bus, { channel: other.bridgeEnd });
    const id = other.client.send({ kind: 'replay-dead-letter', target: other.bus.id, eventId: 'e1', consumer: 'inventory' });
    expect(await waitForMessage(other.received, 'result', (m) => m.commandId === id)).toMatchObject({ ok: false, error: { code: 'DEAD_LETTER_NOT_FOUND' } });
    plain.close();
  });

  it('pages through the event store history', async () => {
    const { bus, bridgeEnd, received, client } = setup();
    const store = new InMemoryEventStore();
    for (let i = 0; i < 25; i++) await store.append(`Order-${i}`, [order(i)]);
    const bridge = connectDevtools(bus, { channel: bridgeEnd, store });
    const first = client.send({ kind: 'read-history', target: bus.id, fromPosition: 0, limit: 10 });
    const page = await waitForMessage(received, 'history', (m) => m.commandId === first);
    expect(page.events).toHaveLength(10);
    expect(page.lastPosition).toBe(await store.getLastPosition());
    const next = client.send({ kind: 'read-history', target: bus.id, fromPosition: page.events.at(-1)!.position + 1, limit: 10 });
    const second = await waitForMessage(received, 'history', (m) => m.commandId === next);
    expect(second.events[0]!.position).toBe(page.events.at(-1)!.position + 1);
    bridge.close();
  });

  it('answers a devtools of another protocol version with DEVTOOLS_PROTOCOL_MISMATCH and keeps working', async () => {
    const { bus, bridgeEnd, received } = setup();
    const [a, b] = createInPageChannel();
    const messages: unknown[] = [];
    b.onMessage((message) => messages.push(message));
    const bridge = connectDevtools(bus, { channel: a });
    b.send({ protocol: 99, kind: 'connect', target: '*' } as never);
    await vi.waitFor(() => expect(messages.some((m) => (m as { kind: string }).kind === 'result')).toBe(true));
    const result = messages.find((m) => (m as { kind: string }).kind === 'result') as { error: { code: string } };
    expect(result.error.code).toBe('DEVTOOLS_PROTOCOL_MISMATCH');
    expect(() => decodeBridgeMessage({ protocol: PROTOCOL_VERSION + 1, kind: 'batch', sourceId: 'x' })).toThrowError(
      expect.objectContaining({ code: 'DEVTOOLS_PROTOCOL_MISMATCH' }),
    );
    expect(decodeBridgeMessage({ some: 'other traffic' })).toBeUndefined();
    bridge.close();
    void bridgeEnd;
    void received;
  });
});
