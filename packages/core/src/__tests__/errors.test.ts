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

  it("reads an error's stack only when the serialized stack is read, then carries it through JSON and structuredClone", () => {
    const error = new Error('no stock');
    let reads = 0;
    Object.defineProperty(error, 'stack', { get: () => (reads++, 'Error: no stock\n    at reserve (inventory.ts:3:9)') });
    const serialized = serializeError(error);
    expect(reads).toBe(0);
    expect(Object.keys(serialized)).toEqual(['name', 'message', 'stack']);
    expect(JSON.parse(JSON.stringify(serialized))).toEqual({ name: 'Error', message: 'no stock', stack: 'Error: no stock\n    at reserve (inventory.ts:3:9)' });
    expect(structuredClone(serialized)).toEqual({ name: 'Error', message: 'no stock', stack: 'Error: no stock\n    at reserve (inventory.ts:3:9)' });
    expect({ ...serialized }.stack).toContain('at reserve');
    expect(reads).toBe(3);
  });

  it('keeps a code and details after the lazy stack, in the order of SerializedError', () => {
    const serialized = serializeError(new EventwireError('TIMEOUT', 'took too long', { details: { ms: 5 } }));
    expect(Object.keys(serialized)).toEqual(['name', 'message', 'stack', 'code', 'details']);
    expect(serialized).toMatchObject({ name: 'EventwireError', code: 'TIMEOUT', details: { ms: 5 } });
    expect(serialized.stack).toContain('took too long');
  });
});
