import { describe, expect, it } from 'vitest';
import { ConcurrencyError, deserializeError, EventwireError, isConcurrencyError, isEventwireError, serializeError } from '@eventwire/core';

describe('EventwireError', () => {
  it('carries a code and details, and is matched by code', () => {
    const error = new EventwireError('TIMEOUT', 'took too long', { details: { ms: 5 } });
    expect(isEventwireError(error)).toBe(true);
    expect(isEventwireError(error, 'TIMEOUT')).toBe(true);
    expect(isEventwireError(error, 'STORE_FAILED')).toBe(false);
    expect(isEventwireError(new Error('plain'))).toBe(false);
    expect(isEventwireError({ code: 'NOT_A_CODE', message: 'x' })).toBe(false);
  });

  it('survives JSON and structuredClone as plain data, and is rebuilt', () => {
    const error = new ConcurrencyError('Order-1', 2, 3);
    const plain = structuredClone(JSON.parse(JSON.stringify(error)) as unknown);
    expect(isEventwireError(plain, 'CONCURRENCY_CONFLICT')).toBe(true);
    expect(isConcurrencyError(plain)).toBe(true);
    const rebuilt = deserializeError(serializeError(error));
    expect(rebuilt).toBeInstanceOf(EventwireError);
    expect(rebuilt).toMatchObject({ code: 'CONCURRENCY_CONFLICT', message: error.message, details: { streamId: 'Order-1', expectedVersion: 2, actualVersion: 3 } });
  });

  it('serializes anything thrown', () => {
    expect(serializeError('text')).toEqual({ name: 'Error', message: 'text' });
    expect(serializeError({ a: 1 })).toEqual({ name: 'Error', message: '{"a":1}' });
    expect(serializeError(new TypeError('t'))).toMatchObject({ name: 'TypeError', message: 't' });
  });
});
