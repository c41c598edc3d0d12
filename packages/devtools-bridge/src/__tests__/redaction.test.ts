import { EventwireError, InMemoryEventStore, defineEvent } from '@eventwire/core';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { REDACTED, connectDevtools, createRedactor } from '../index.js';
import { OrderPlaced, recordsOf, setup, waitForMessage } from './helpers.js';

const Login = defineEvent('UserLoggedIn', z.object({ user: z.string(), session: z.object({ password: z.string(), tokens: z.array(z.object({ password: z.string() })) }) }));

describe('redaction', () => {
  it('removes keys at any depth, paths, and paths of one type, on copies', () => {
    const redactor = createRedactor(['password', 'data.cardNumber', 'OrderPlaced:data.customerEmail']);
    const login = Login.create({ user: 'ann', session: { password: 'p1', tokens: [{ password: 'p2' }] } });
    expect(redactor.event(login).data).toEqual({ user: 'ann', session: { password: REDACTED, tokens: [{ password: REDACTED }] } });
    expect(login.data.session.password).toBe('p1'); // the bus's event is untouched
    const placed = OrderPlaced.create({ customerName: 'Bob', totalAmount: 5, cardNumber: '4111', customerEmail: 'bob@x.io' });
    expect(redactor.event(placed).data).toEqual({ customerName: 'Bob', totalAmount: 5, cardNumber: REDACTED, customerEmail: REDACTED });
    const unchanged = createRedactor([]);
    expect(unchanged.event(placed)).toBe(placed);
  });

  it('never sends a sensitive value in any bridge message: snapshot, batches, errors, rejections, history pages', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 8, maxLength: 24 }).map((s) => `secret-${s}`), async (secret) => {
        const { bus, bridgeEnd, received, client } = setup();
        const store = new InMemoryEventStore();
        bus.subscribe('Order.*', function failsLoudly(event) {
          throw Object.assign(new Error('card declined'), { details: { cardNumber: (event.data as { cardNumber: string }).cardNumber } });
        });
        const event = (n: number) => OrderPlaced.create({ customerName: `c${n}`, totalAmount: n, cardNumber: secret, customerEmail: `${secret}@mail` });
        await bus.publish(event(0)); // before the bridge: only in the bus's past
        const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 1, redact: ['cardNumber', 'OrderPlaced:data.customerEmail'], store });
        await bus.publish(event(1)); // retained history -> snapshot
        await waitForMessage(received, 'snapshot');
        await bus.publish(event(2)); // live -> batch
        await store.append('Order-3', [event(3)]);
        bus.report({ type: 'rejected', source: 'broadcast', error: { name: 'EventDecodeError', message: 'bad', details: { payload: { cardNumber: secret } } } });
        bus.report({ type: 'dead-lettered', eventId: 'x', consumer: 'c', attempts: 3, error: { name: 'Error', message: 'no', details: { cardNumber: secret } } });
        const page = client.send({ kind: 'read-history', target: bus.id, fromPosition: 0, limit: 10 });
        await waitForMessage(received, 'history', (m) => m.commandId === page);
        await vi.waitFor(() => expect(recordsOf(received).filter((r) => r.type === 'dead-lettered')).toHaveLength(1));
        const published = recordsOf(received).filter((r) => r.type === 'published');
        expect(published).toHaveLength(2);
        // Payloads on demand (the detail view, an export) and payload search.
        const details = client.send({ kind: 'get-events', target: bus.id, eventIds: published.map((r) => (r.type === 'published' ? r.event.id : '')) });
        const answer = await waitForMessage(received, 'events', (m) => m.commandId === details);
        const search = client.send({ kind: 'search', target: bus.id, text: secret });
        expect((await waitForMessage(received, 'found', (m) => m.commandId === search)).eventIds).toEqual([]);
        bridge.close();

        // The values did reach the devtools, redacted: the test sees the fields it checks.
        expect(answer.events).toHaveLength(2);
        expect(answer.events.every((detail) => (detail.event.data as { cardNumber: string }).cardNumber === REDACTED)).toBe(true);
        expect(answer.events.every((detail) => detail.errors.length === 1 && detail.errors[0]!.error.message === 'card declined')).toBe(true);
        expect(recordsOf(received).some((r) => r.type === 'failed')).toBe(true);
        for (const message of bridgeEnd.sent) expect(JSON.stringify(message)).not.toContain(secret);
      }),
      { numRuns: 15 },
    );
  });

  it('never sends a sensitive value in a burst: batches that leave records out, late async failures, a snapshot, the gaps fetched', async () => {
    const secret = 'secret-4111-1111';
    const { bus, bridgeEnd, received, client } = setup();
    bus.subscribe(OrderPlaced, function failsOnBig(event) {
      // An EventwireError: its details travel in the failed record (a plain Error's do not).
      if (event.data.totalAmount % 3 === 0) throw new EventwireError('HANDLER_FAILED', 'declined', { details: { nested: [{ cardNumber: event.data.cardNumber }] } });
    });
    bus.subscribe(OrderPlaced, async function failsLater(event) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (event.data.totalAmount % 5 === 0) throw new EventwireError('HANDLER_FAILED', 'late', { details: { cardNumber: event.data.cardNumber } });
    });
    const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 1, maxBatch: 7, maxAge: 1000, redact: ['cardNumber', 'OrderPlaced:data.customerEmail'] });
    await waitForMessage(received, 'snapshot');
    const events = Array.from({ length: 100 }, (_, n) => OrderPlaced.create({ customerName: `c${n}`, totalAmount: n + 1, cardNumber: secret, customerEmail: `${secret}@mail` }));
    await bus.publish(events);
    await vi.waitFor(() => expect(recordsOf(received).filter((r) => r.type === 'failed')).toHaveLength(33 + 20));
    client.send({ kind: 'connect', target: bus.id }); // a second snapshot: its newest 7 records, the rest a gap
    await vi.waitFor(() => expect(received.filter((m) => m.kind === 'snapshot')).toHaveLength(2));
    // The gaps the batches and snapshots left out, fetched as a devtools does when it shows them.
    const gaps = received.flatMap((m) => ((m.kind === 'batch' || m.kind === 'snapshot') && m.skipped !== undefined ? [m.skipped] : []));
    expect(gaps.length).toBeGreaterThan(0);
    const ranges = gaps.map((gap) => client.send({ kind: 'get-range', target: bus.id, from: gap.from, to: gap.to }));
    await vi.waitFor(() => expect(received.filter((m) => m.kind === 'range' && ranges.includes(m.commandId))).toHaveLength(ranges.length));
    const details = client.send({ kind: 'get-events', target: bus.id, eventIds: events.map((event) => event.id) });
    const answer = await waitForMessage(received, 'events', (m) => m.commandId === details);
    expect(answer.events).toHaveLength(100);
    expect(answer.events.flatMap((detail) => detail.errors)).toHaveLength(33 + 20);
    bridge.close();

    expect(recordsOf(received).filter((r) => r.type === 'published').length).toBeGreaterThanOrEqual(100);
    expect(bridgeEnd.sent.filter((m) => m.kind === 'batch').length).toBeGreaterThan(1);
    expect(bridgeEnd.sent.filter((m) => m.kind === 'range').length).toBe(ranges.length);
    for (const message of bridgeEnd.sent) expect(JSON.stringify(message)).not.toContain(secret);
  });
});

describe('redaction past a burstLimit', () => {
  it('never sends a sensitive value when a burst runs past the limit: the recorded events, the counts of the others', async () => {
    const secret = 'secret-4111-1111';
    const { bus, bridgeEnd, received } = setup();
    bus.subscribe(OrderPlaced, function declines(event) {
      if (event.data.totalAmount % 2 === 0) throw new EventwireError('HANDLER_FAILED', 'declined', { details: { cardNumber: event.data.cardNumber } });
    });
    const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 5, burstLimit: 10, redact: ['cardNumber', 'OrderPlaced:data.customerEmail'] });
    await waitForMessage(received, 'snapshot');
    for (let n = 1; n <= 50; n++) bus.publishSync(OrderPlaced.create({ customerName: `c${n}`, totalAmount: n, cardNumber: secret, customerEmail: `${secret}@mail` }));
    await waitForMessage(received, 'batch', (message) => message.records.some((record) => record.type === 'unrecorded'));
    bridge.close();
    expect(recordsOf(received).filter((r) => r.type === 'failed')).toHaveLength(5); // of the 10 recorded
    for (const message of bridgeEnd.sent) expect(JSON.stringify(message)).not.toContain(secret);
  });
});

describe('errors on the wire', () => {
  it('keeps the first lines of a long stack, with or without redaction rules', () => {
    const stack = ['Error: boom', ...Array.from({ length: 40 }, (_, i) => `    at frame${i} (file.js:${i}:1)`)].join('\n');
    const record = { type: 'failed', busId: 'b', time: 1, eventId: 'e', subscriptionId: 's', durationMs: 1, error: { name: 'Error', message: 'boom', stack } } as const;
    for (const redactor of [createRedactor([]), createRedactor(['password'])]) {
      const sent = redactor.record(record);
      const lines = (sent.type === 'failed' && sent.error.stack?.split('\n')) || [];
      expect(lines.slice(0, 3)).toEqual(['Error: boom', '    at frame0 (file.js:0:1)', '    at frame1 (file.js:1:1)']);
      expect(lines.length).toBeLessThanOrEqual(14);
    }
  });
});
