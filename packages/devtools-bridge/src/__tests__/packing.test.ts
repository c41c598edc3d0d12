import type { DispatchedRecord, InspectionRecord } from '@eventwire/core';
import { describe, expect, it } from 'vitest';
import { RecordPacker, unpackRecords, type DevtoolsRecord } from '../packing.js';
import { createRedactor } from '../redaction.js';
import { OrderPlaced, OrderShipped } from './helpers.js';

const bus = 'bus1';
// Payload values with a space: no event id (nanoid's alphabet) or packed number can contain them by chance.
const event = (n: number) => OrderPlaced.create({ customerName: `customer ${n}`, totalAmount: n, cardNumber: '4242 4242', customerEmail: 'a@b.c' }, { aggregateId: `o-${n}` });

/** What the devtools get back for a record: events as summaries, errors as summaries. */
function expected(record: InspectionRecord): DevtoolsRecord {
  if (record.type === 'published') {
    const { id, type, aggregateType, aggregateId, causationId, correlationId } = record.event;
    const summary = Object.fromEntries(Object.entries({ id, type, aggregateType, aggregateId, causationId, correlationId }).filter(([, value]) => value !== undefined));
    return { ...record, event: summary as { id: string; type: string }, summary: true };
  }
  if (record.type === 'failed' || record.type === 'dead-lettered') {
    const { name, message, code } = record.error;
    return { ...record, error: code === undefined ? { name, message } : { name, message, code } };
  }
  return record;
}

describe('packed records', () => {
  it('give back every record, in order, through JSON: summaries of events, their deliveries (late ones too), failures, other records', () => {
    const a = event(1);
    const b = OrderShipped.create({ trackingNumber: 'T' }, { aggregateId: 'o-1', causationId: a.id, correlationId: a.id });
    const records: InspectionRecord[] = [
      { type: 'subscribed', busId: bus, time: 1, subscription: { id: `${bus}:1`, kind: 'type', key: 'OrderPlaced', handlerName: 'h1' } },
      { type: 'published', busId: bus, time: 10, event: a, background: false, source: 'local' },
      { type: 'delivered', busId: bus, time: 10, eventId: a.id, subscriptionId: `${bus}:1`, durationMs: 0.125 },
      { type: 'dead-lettered', busId: bus, time: 10, eventId: a.id, consumer: 'h2', attempts: 1, error: { name: 'Error', message: 'boom', stack: 'Error: boom\n  at x' } },
      { type: 'failed', busId: bus, time: 10, eventId: a.id, subscriptionId: 'other-bus:7', durationMs: 2, error: { name: 'Error', message: 'boom', stack: 'Error: boom\n  at x' } },
      { type: 'background', busId: bus, time: 11, phase: 'started', taskId: 1, pending: 1 },
      { type: 'published', busId: bus, time: 12, event: b, background: true, source: 'broadcast' },
      { type: 'delivered', busId: bus, time: 12, eventId: b.id, subscriptionId: `${bus}:2` }, // not timed
      { type: 'failed', busId: bus, time: 12, eventId: b.id, subscriptionId: `${bus}:4`, error: { name: 'EventwireError', message: 'no', code: 'HANDLER_FAILED', details: { x: 1 } } },
      { type: 'delivered', busId: bus, time: 10, eventId: a.id, subscriptionId: `${bus}:3`, durationMs: 40 }, // a's async handler, after b
      { type: 'delivered', busId: bus, time: 14, eventId: 'earlier', subscriptionId: `${bus}:1`, durationMs: 1.5 }, // event sent in an earlier batch
      { type: 'delivered', busId: bus, time: 14, eventId: 'earlier', subscriptionId: `${bus}:007`, durationMs: 0 }, // not a number that comes back as itself
      { type: 'failed', busId: bus, time: 14, eventId: 'earlier', subscriptionId: `${bus}:1`, durationMs: 1, error: { name: 'Error', message: 'late' } },
      { type: 'stored', busId: bus, time: 16, store: 'memory', streamId: 'Order-1', eventId: a.id, version: 1, position: 1 },
    ];
    const packed = new RecordPacker(bus, createRedactor([])).pack(records, 0, records.length);
    const text = JSON.stringify(packed);
    expect(text).not.toContain('4242 4242');
    expect(text).not.toContain('customer 1');
    expect(text).not.toContain('at x');
    const unpacked = unpackRecords(JSON.parse(text), bus);

    // The same records in the same order (a delivery has its event's time, or its own when its event went out earlier).
    expect(unpacked).toEqual(records.map(expected));
    expect(unpacked.find((r) => r.type === 'delivered' && r.eventId === b.id)).not.toHaveProperty('durationMs');
    expect(unpacked.find((r) => r.type === 'published' && r.event.id === b.id)).toMatchObject({ event: { causationId: a.id, correlationId: a.id }, background: true, source: 'broadcast' });
  });

  it('give back the deliveries of summarized dispatches: plain ones from the route, async ones that settled at once folded in, failures, durations, dead letters', () => {
    const [a, b, c] = [event(1), event(2), event(3)];
    const ids = Object.freeze([1, 2, 3, 4].map((n) => `${bus}:${n}`));
    const boom = { name: 'Error', message: 'boom', stack: 'Error: boom\n  at x' };
    const dispatched = (e: typeof a, time: number, fields: Partial<DispatchedRecord>): DispatchedRecord => ({ type: 'dispatched', busId: bus, time, event: e, background: false, source: 'local', subscriptionIds: ids, ...fields });
    const records: InspectionRecord[] = [
      // A store reports the dead letter while the handlers run, before the dispatch's record.
      { type: 'dead-lettered', busId: bus, time: 10, eventId: a.id, consumer: 'h2', attempts: 1, error: boom },
      dispatched(a, 10, { failures: [{ index: 1, error: boom }], pending: [2, 3] }),
      { type: 'delivered', busId: bus, time: 10, eventId: a.id, subscriptionId: ids[2]! }, // settled at once: folded in
      dispatched(b, 11, { pending: [2] }),
      { type: 'delivered', busId: bus, time: 12, eventId: a.id, subscriptionId: ids[3]! }, // settled later
      { type: 'delivered', busId: bus, time: 12, eventId: b.id, subscriptionId: ids[2]! },
      dispatched(c, 13, { failures: [{ index: 1, error: boom }], pending: [2, 3], durationsMs: [0.5, 0.25, 0.125, 0] }),
    ];
    const text = JSON.stringify(new RecordPacker(bus, createRedactor([])).pack(records, 0, records.length));
    expect(text).not.toContain('customer');
    expect(text).not.toContain('at x');
    const unpacked = unpackRecords(JSON.parse(text), bus);

    const published = (e: typeof a, time: number) => expected({ type: 'published', busId: bus, time, event: e, background: false, source: 'local' });
    const delivered = (e: typeof a, n: number, time: number, durationMs?: number) => ({ type: 'delivered', busId: bus, time, eventId: e.id, subscriptionId: ids[n - 1], ...(durationMs === undefined ? {} : { durationMs }) });
    const failed = (e: typeof a, n: number, time: number, durationMs?: number) => ({ ...delivered(e, n, time, durationMs), type: 'failed', error: { name: 'Error', message: 'boom' } });
    expect(unpacked).toEqual([
      published(a, 10),
      delivered(a, 1, 10),
      delivered(a, 3, 10),
      failed(a, 2, 10),
      { type: 'dead-lettered', busId: bus, time: 10, eventId: a.id, consumer: 'h2', attempts: 1, error: { name: 'Error', message: 'boom' } },
      published(b, 11),
      delivered(b, 1, 11),
      delivered(b, 2, 11),
      delivered(b, 4, 11),
      delivered(a, 4, 10),
      delivered(b, 3, 11),
      published(c, 13),
      delivered(c, 1, 13, 0.5),
      failed(c, 2, 13, 0.25),
    ]);
    // The dead letter travels as its consumer and attempts: its error is the failure just before it.
    expect(text.match(/boom/g)).toHaveLength(2);
  });

  it('are a small fraction of the records as JSON', () => {
    const records: InspectionRecord[] = [];
    for (let i = 0; i < 100; i++) {
      const e = event(i);
      records.push({ type: 'published', busId: bus, time: 1_700_000_000_000 + i, event: e, background: false, source: 'local' });
      for (let s = 1; s <= 5; s++) records.push({ type: 'delivered', busId: bus, time: 1_700_000_000_000 + i, eventId: e.id, subscriptionId: `${bus}:${s}`, ...(i % 16 === 0 ? { durationMs: 0.1 * s } : {}) });
    }
    const packed = new RecordPacker(bus, createRedactor([])).pack(records, 0, records.length);
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(records).length * 0.1);
  });

  it('refuses a message whose packed records are not a packed list', () => {
    expect(() => unpackRecords({ nope: 1 }, bus)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => unpackRecords([], bus)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
