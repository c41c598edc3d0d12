import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, EventDecodeError, isEventwireError } from '@eventwire/core';

const OrderPlaced = defineEvent('OrderPlaced', z.object({ customerName: z.string(), totalAmount: z.number() }), { aggregateType: 'Order' });

describe('defineEvent', () => {
  it('creates plain, frozen events with an id, an ISO time and the aggregate type', () => {
    const event = OrderPlaced.create({ customerName: 'Alice', totalAmount: 99.99 }, { aggregateId: 'o-1', aggregateVersion: 1 });
    expect(event).toMatchObject({ type: 'OrderPlaced', aggregateType: 'Order', aggregateId: 'o-1', aggregateVersion: 1, data: { customerName: 'Alice', totalAmount: 99.99 } });
    expect(event.id).toMatch(/^[\w-]{21}$/);
    expect(new Date(event.occurredAt).toISOString()).toBe(event.occurredAt);
    expect(Object.isFrozen(event)).toBe(true);
    expect(Object.isFrozen(event.data)).toBe(true);
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
  });

  it('makes events that survive JSON and structuredClone unchanged', () => {
    const event = OrderPlaced.create({ customerName: 'Alice', totalAmount: 1 }, { metadata: { tags: ['a', 'b'], nested: { ok: true } } });
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
    expect(structuredClone(event)).toEqual(event);
  });

  it('does not freeze or keep the caller’s data object', () => {
    const input = { customerName: 'Alice', totalAmount: 1 };
    const event = OrderPlaced.create(input);
    expect(Object.isFrozen(input)).toBe(false);
    input.customerName = 'Mallory';
    expect(event.data.customerName).toBe('Alice');
  });

  it('accepts envelope fields: id, Date or ISO occurredAt, correlation and causation', () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    const event = OrderPlaced.create({ customerName: 'A', totalAmount: 1 }, { id: 'fixed', occurredAt: at, correlationId: 'c', causationId: 'p' });
    expect(event).toMatchObject({ id: 'fixed', occurredAt: '2026-01-02T03:04:05.000Z', correlationId: 'c', causationId: 'p' });
  });

  it('is() is a type guard on the type name', () => {
    const event: unknown = OrderPlaced.create({ customerName: 'A', totalAmount: 1 });
    expect(OrderPlaced.is(event)).toBe(true);
    expect(OrderPlaced.is({ type: 'OrderShipped' })).toBe(false);
    expect(OrderPlaced.is(null)).toBe(false);
    if (OrderPlaced.is(event)) expect(event.data.totalAmount).toBe(1);
  });

  it('create() rejects data that fails the schema with SCHEMA_VALIDATION_FAILED and its issues', () => {
    const attempt = () => OrderPlaced.create({ customerName: 'A', totalAmount: 'lots' } as never);
    expect(attempt).toThrow(EventDecodeError);
    try {
      attempt();
    } catch (error) {
      expect(isEventwireError(error, 'SCHEMA_VALIDATION_FAILED')).toBe(true);
      expect((error as EventDecodeError).issues).toEqual([expect.objectContaining({ path: 'data.totalAmount' })]);
    }
  });

  it('parse() decodes untrusted input and rejects a different type', () => {
    const event = OrderPlaced.create({ customerName: 'A', totalAmount: 1 });
    expect(OrderPlaced.parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
    expect(() => OrderPlaced.parse({ ...event, type: 'OrderShipped' })).toThrow(expect.objectContaining({ code: 'INVALID_EVENT' }));
  });

  it('upcasts older versions step by step on decode', () => {
    const V1 = defineEvent('CustomerRenamed', z.object({ name: z.string() }));
    const V3 = defineEvent('CustomerRenamed', z.object({ firstName: z.string(), lastName: z.string(), source: z.string() }), {
      version: 3,
      upcast: {
        1: (data) => {
          const [firstName = '', lastName = ''] = (data as { name: string }).name.split(' ');
          return { firstName, lastName };
        },
        2: (data) => ({ ...(data as object), source: 'migrated' }),
      },
    });
    const old = V1.create({ name: 'Ada Lovelace' });
    const upcast = V3.parse(JSON.parse(JSON.stringify(old)));
    expect(upcast.data).toEqual({ firstName: 'Ada', lastName: 'Lovelace', source: 'migrated' });
    expect(upcast.schemaVersion).toBe(3);
    expect(V3.create({ firstName: 'a', lastName: 'b', source: 'x' }).schemaVersion).toBe(3);
  });

  it('refuses versions newer than it knows and missing upcasters', () => {
    const V2 = defineEvent('Thing', z.object({}), { version: 2 });
    const V1 = defineEvent('Thing', z.object({}));
    expect(() => V1.parse(JSON.parse(JSON.stringify(V2.create({}))))).toThrow(expect.objectContaining({ code: 'INVALID_EVENT' }));
    expect(() => V2.parse(JSON.parse(JSON.stringify(V1.create({}))))).toThrow(expect.objectContaining({ code: 'UPCAST_FAILED' }));
  });

  it('rejects invalid definitions with INVALID_ARGUMENT', () => {
    expect(() => defineEvent('', z.object({}))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => defineEvent('Order.*', z.object({}))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => defineEvent('X', {} as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => defineEvent('X', z.object({}), { version: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('refuses schemas that validate asynchronously with ASYNC_SCHEMA_UNSUPPORTED', () => {
    const Async = defineEvent('Async', z.object({ a: z.string() }).refine(async () => true));
    expect(() => Async.create({ a: 'x' })).toThrow(expect.objectContaining({ code: 'ASYNC_SCHEMA_UNSUPPORTED' }));
  });
});
