import type { InspectionRecord } from '@eventwire/core';
import { describe, expect, it } from 'vitest';
import { RecordPacker, unpackRecords } from '../packing.js';
import { createRedactor } from '../redaction.js';
import { OrderPlaced } from './helpers.js';

const bus = 'bus1';
const event = (n: number) => OrderPlaced.create({ customerName: `c${n}`, totalAmount: n, cardNumber: '4242', customerEmail: 'a@b.c' });

describe('packed records', () => {
  it('give back every record, in order, through JSON: events with their deliveries folded, late deliveries, failures, other records', () => {
    const [a, b] = [event(1), event(2)];
    const records: InspectionRecord[] = [
      { type: 'subscribed', busId: bus, time: 1, subscription: { id: `${bus}:1`, kind: 'type', key: 'OrderPlaced', handlerName: 'h1' } },
      { type: 'published', busId: bus, time: 10, event: a, background: false, source: 'local' },
      { type: 'delivered', busId: bus, time: 10, eventId: a.id, subscriptionId: `${bus}:1`, durationMs: 0.125 },
      // The bus reports a dead letter while the delivery fails, before the failed record.
      { type: 'dead-lettered', busId: bus, time: 11, eventId: a.id, consumer: 'h2', attempts: 1, error: { name: 'Error', message: 'boom' } },
      { type: 'failed', busId: bus, time: 11, eventId: a.id, subscriptionId: 'other-bus:7', durationMs: 2, error: { name: 'Error', message: 'boom' } },
      { type: 'background', busId: bus, time: 11, phase: 'started', taskId: 1, pending: 1 },
      { type: 'published', busId: bus, time: 12, event: b, background: true, source: 'broadcast' },
      { type: 'delivered', busId: bus, time: 12, eventId: b.id, subscriptionId: `${bus}:2` } as InspectionRecord, // not timed
      { type: 'delivered', busId: bus, time: 13, eventId: a.id, subscriptionId: `${bus}:3`, durationMs: 40 }, // a's async handler, after b
      { type: 'delivered', busId: bus, time: 14, eventId: 'earlier', subscriptionId: `${bus}:1`, durationMs: 1.5 }, // event sent in an earlier batch
      { type: 'delivered', busId: bus, time: 14, eventId: 'earlier', subscriptionId: `${bus}:007`, durationMs: 0 }, // not a number that comes back as itself
      { type: 'failed', busId: bus, time: 15, eventId: 'earlier', subscriptionId: `${bus}:1`, durationMs: 1, error: { name: 'Error', message: 'late' } },
      { type: 'stored', busId: bus, time: 16, store: 'memory', streamId: 'Order-1', eventId: a.id, version: 1, position: 1 },
      { type: 'dead-lettered', busId: bus, time: 18, eventId: b.id, consumer: 'h3', attempts: 1, error: { name: 'Error', message: 'other' } },
    ];
    const packed = new RecordPacker(bus, createRedactor([])).pack(records, 0, records.length);
    const unpacked = unpackRecords(JSON.parse(JSON.stringify(packed)), bus);

    // The same records; each event's deliveries come right after it.
    const byEvent = (id: string) => (r: InspectionRecord) => ('eventId' in r && r.eventId === id) || (r.type === 'published' && r.event.id === id);
    expect(unpacked).toHaveLength(records.length);
    expect(unpacked).toEqual(expect.arrayContaining(records));
    expect(unpacked.filter(byEvent(a.id)).map((r) => r.type)).toEqual(['published', 'delivered', 'failed', 'delivered', 'dead-lettered', 'stored']);
    expect(packed.filter((entry) => !Array.isArray(entry) && entry.type === 'dead-lettered').map((entry) => 'error' in entry && entry.error)).toEqual([0, { name: 'Error', message: 'other' }]);
    expect(unpacked.slice(1, 5).map((r) => r.type)).toEqual(['published', 'delivered', 'failed', 'delivered']);
    expect(unpacked.find((r) => r.type === 'delivered' && r.eventId === b.id)).not.toHaveProperty('durationMs');
  });

  it('are far smaller than the records as JSON', () => {
    const records: InspectionRecord[] = [];
    for (let i = 0; i < 100; i++) {
      const e = event(i);
      records.push({ type: 'published', busId: bus, time: i, event: e, background: false, source: 'local' });
      for (let s = 1; s <= 5; s++) records.push({ type: 'delivered', busId: bus, time: i, eventId: e.id, subscriptionId: `${bus}:${s}`, durationMs: 0.1 * s });
    }
    const packed = new RecordPacker(bus, createRedactor([])).pack(records, 0, records.length);
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(records).length * 0.6);
  });

  it('refuses a message whose packed records are not a list', () => {
    expect(() => unpackRecords({ nope: 1 }, bus)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
