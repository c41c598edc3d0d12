// Shared by the Redis tests: is the broker there, unique names, a receiver that decodes through a
// registry the way `connect` does, and polling for an outcome.
import { defineEvent, EventRegistry, type AnyEvent, type BatchOutcome, type IncomingBatch } from '@eventwire/core';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { redisAnswers, skipOrFailUnderCi } from '../../../../test-support/brokers/brokerTests.js';
import { decodingReceiver as decodingReceiverOf } from '../../../../test-support/brokers/decodingReceiver.js';

export { eventually } from '../../../../test-support/brokers/brokerTests.js';

export const redisUrl = process.env.EVENTWIRE_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const OrderPlaced = defineEvent('OrderPlaced', z.object({ orderId: z.string(), amount: z.number() }), { aggregateType: 'Order' });
export const OrderShipped = defineEvent('OrderShipped', z.object({ orderId: z.string() }), { aggregateType: 'Order' });
export const registry = new EventRegistry([OrderPlaced, OrderShipped]);

export function placed(n: number, amount = n): AnyEvent {
  return OrderPlaced.create({ orderId: `o-${n}`, amount }, { aggregateId: `o-${n}` });
}

/** A prefix no other test uses. */
export function uniquePrefix(label: string): string {
  return `ewtest:${label}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 8)}`;
}

/** Whether Redis answers; under CI a missing broker fails instead of skipping. */
export async function redisAvailability(): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (await redisAnswers(redisUrl)) return { ok: true };
  const reason = `Redis does not answer at ${redisUrl}`;
  skipOrFailUnderCi('Redis transport tests', reason);
  return { ok: false, reason };
}

/** A receiver like `connect`'s, decoding through this harness's registry. */
export function decodingReceiver(handle: (event: AnyEvent) => unknown | Promise<unknown>): (batch: IncomingBatch) => Promise<BatchOutcome> {
  return decodingReceiverOf(registry, handle);
}

/** Deletes every key under a prefix. */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}
