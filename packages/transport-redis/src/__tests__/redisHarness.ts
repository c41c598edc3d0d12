// Shared by the Redis tests: is the broker there, unique names, a receiver that decodes through a
// registry the way `connect` does, and polling for an outcome.
import { defineEvent, EventRegistry, serializeError, type AnyEvent, type BatchOutcome, type IncomingBatch } from '@eventwire/core';
import { Redis } from 'ioredis';
import { createConnection } from 'node:net';
import { z } from 'zod';

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
  const { hostname, port } = new URL(redisUrl);
  const ok = await new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(2_000, () => (socket.destroy(), resolve(false)));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => (socket.destroy(), resolve(data.toString().includes('PONG'))));
    socket.on('error', () => resolve(false));
  });
  if (ok) return { ok: true };
  const reason = `Redis does not answer at ${redisUrl}`;
  if (process.env.CI && process.env.CI !== 'false') throw new Error(`CI=true: ${reason}`);
  console.log(`[eventwire] SKIPPED Redis transport tests: ${reason}`);
  return { ok: false, reason };
}

/**
 * A receiver like `connect`'s: decodes every payload through the registry, rejects what does
 * not decode, runs the handler per event and reports failures.
 */
export function decodingReceiver(handle: (event: AnyEvent) => unknown | Promise<unknown>): (batch: IncomingBatch) => Promise<BatchOutcome> {
  return async ({ payloads }) => {
    const handled: number[] = [];
    const failed: { index: number; error: ReturnType<typeof serializeError> }[] = [];
    const rejected: { index: number; error: ReturnType<typeof serializeError> }[] = [];
    for (const [index, payload] of payloads.entries()) {
      const decoded = registry.safeDecode(payload);
      if (!decoded.ok) {
        rejected.push({ index, error: serializeError(decoded.error) });
        continue;
      }
      try {
        await handle(decoded.event);
        handled.push(index);
      } catch (error) {
        failed.push({ index, error: serializeError(error) });
      }
    }
    return { handled, failed, rejected };
  };
}

/** Polls until `check` returns a value other than undefined (no timing is asserted). */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Deletes every key under a prefix. */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}
