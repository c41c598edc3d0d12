import { describe, expect, it } from 'vitest';
import { compilePattern, routingKeyOf } from '@eventwire/core';

describe('routing keys and patterns', () => {
  it('the routing key is <aggregateType>.<type>, or the type alone', () => {
    expect(routingKeyOf({ type: 'OrderPlaced', aggregateType: 'Order' })).toBe('Order.OrderPlaced');
    expect(routingKeyOf({ type: 'Ping' })).toBe('Ping');
  });

  it('uses NATS subject semantics: * is one token, > the rest', () => {
    expect(compilePattern('Order.*')('Order.OrderPlaced')).toBe(true);
    expect(compilePattern('Order.*')('Order.a.b')).toBe(false);
    expect(compilePattern('Order.>')('Order.a.b')).toBe(true);
    expect(compilePattern('Order.>')('Order')).toBe(false);
    expect(compilePattern('*.OrderPlaced')('Order.OrderPlaced')).toBe(true);
    expect(compilePattern('*.OrderPlaced')('OrderPlaced')).toBe(false);
  });

  it('refuses malformed patterns', () => {
    for (const pattern of ['Order..x', 'Order.>.x', 'Ord*er', '.x']) expect(() => compilePattern(pattern)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
