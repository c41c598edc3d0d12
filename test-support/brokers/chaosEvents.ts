// The events and the idempotent side effect (kept in Redis) of the chaos tests of both broker
// transports, shared by each test and its consumer child processes.
import { defineEvent, EventRegistry } from '@eventwire/core';
import type { Redis } from 'ioredis';
import { z } from 'zod';

export const ChaosCharge = defineEvent('ChaosCharge', z.object({ n: z.number().int(), amount: z.number().int(), poison: z.boolean() }), { aggregateType: 'Account' });
export const chaosRegistry = new EventRegistry([ChaosCharge]);

/** Keys where the side effects of one chaos run live. */
export function effectKeys(prefix: string): { applied: string; total: string; invocations: string } {
  return { applied: `${prefix}:effects:applied`, total: `${prefix}:effects:total`, invocations: `${prefix}:effects:invocations` };
}

/**
 * The side effect: add `amount` to a total, once per event id. The marker and the effect are
 * written in one script, so a redelivered event changes nothing: exactly-once effects on top
 * of at-least-once delivery.
 */
const applyOnce = `
redis.call('INCR', KEYS[3])
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('INCRBY', KEYS[2], ARGV[2])
  return 1
end
return 0
`;

export async function applyChargeOnce(redis: Redis, prefix: string, eventId: string, amount: number): Promise<boolean> {
  const keys = effectKeys(prefix);
  return (await redis.eval(applyOnce, 3, keys.applied, keys.total, keys.invocations, eventId, amount)) === 1;
}
