import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, EventRegistry, fromCloudEvent, toCloudEvent } from '@eventwire/core';

const Shipped = defineEvent('OrderShipped', z.object({ trackingNumber: z.string() }), { aggregateType: 'Order' });
const registry = new EventRegistry([Shipped]);

describe('CloudEvents mapping', () => {
  it('maps id, type, source, time, subject, data and extensions, and back', () => {
    const event = Shipped.create({ trackingNumber: 'T-1' }, { aggregateId: 'o-1', aggregateVersion: 2, correlationId: 'c-1', causationId: 'e-0', metadata: { user: 'u' } });
    const cloudEvent = toCloudEvent(event, { source: 'urn:test' });
    expect(cloudEvent).toMatchObject({
      specversion: '1.0',
      id: event.id,
      type: 'OrderShipped',
      source: 'urn:test',
      time: event.occurredAt,
      subject: 'o-1',
      datacontenttype: 'application/json',
      data: { trackingNumber: 'T-1' },
      aggregatetype: 'Order',
      aggregateversion: 2,
      correlationid: 'c-1',
      causationid: 'e-0',
    });
    expect(fromCloudEvent(JSON.parse(JSON.stringify(cloudEvent)), registry)).toEqual(event);
  });

  it('enforces the required attributes', () => {
    const good = toCloudEvent(Shipped.create({ trackingNumber: 'T' }), { source: 's' });
    for (const key of ['specversion', 'id', 'source', 'type'] as const) {
      const { [key]: _removed, ...rest } = good;
      expect(() => fromCloudEvent(rest, registry)).toThrow(expect.objectContaining({ code: 'INVALID_EVENT' }));
    }
    expect(() => fromCloudEvent({ ...good, specversion: '0.3' }, registry)).toThrow(expect.objectContaining({ code: 'INVALID_EVENT' }));
    expect(() => fromCloudEvent('nope', registry)).toThrow(expect.objectContaining({ code: 'INVALID_EVENT' }));
  });

  it('decodes the data through the registry', () => {
    const cloudEvent = { ...toCloudEvent(Shipped.create({ trackingNumber: 'T' }), { source: 's' }), data: { trackingNumber: 5 } };
    expect(() => fromCloudEvent(cloudEvent, registry)).toThrow(expect.objectContaining({ code: 'SCHEMA_VALIDATION_FAILED' }));
  });
});
