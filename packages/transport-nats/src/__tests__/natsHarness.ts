// Shared by the NATS tests: is the broker there (with JetStream), unique names, a receiver that
// decodes through a registry the way `connect` does, polling, and cleanup.
import { defineEvent, EventRegistry, type AnyEvent, type BatchOutcome, type IncomingBatch } from '@eventwire/core';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { createConnection } from 'node:net';
import { z } from 'zod';
import { redisAnswers, skipOrFailUnderCi } from '../../../../test-support/brokers/brokerTests.js';
import { decodingReceiver as decodingReceiverOf } from '../../../../test-support/brokers/decodingReceiver.js';

export { eventually } from '../../../../test-support/brokers/brokerTests.js';

export const natsServer = process.env.EVENTWIRE_NATS_URL ?? '127.0.0.1:4222';

export const OrderPlaced = defineEvent('OrderPlaced', z.object({ orderId: z.string(), amount: z.number() }), { aggregateType: 'Order' });
export const OrderShipped = defineEvent('OrderShipped', z.object({ orderId: z.string() }), { aggregateType: 'Order' });
export const UserRegistered = defineEvent('UserRegistered', z.object({ name: z.string() }), { aggregateType: 'User' });
export const Heartbeat = defineEvent('Heartbeat', z.object({ n: z.number() }));
export const registry = new EventRegistry([OrderPlaced, OrderShipped, UserRegistered, Heartbeat]);

export function placed(n: number, amount = n): AnyEvent {
  return OrderPlaced.create({ orderId: `o-${n}`, amount }, { aggregateId: `o-${n}` });
}

/** Stream, subject prefix and durable names no other test uses. */
export function uniqueNames(label: string): { stream: string; subjectPrefix: string } {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return { stream: `EWTEST_${label}_${suffix}`, subjectPrefix: `ewtest.${label}.${suffix}` };
}

/** Whether NATS with JetStream answers; under CI a missing broker fails instead of skipping. */
export async function natsAvailability(server = natsServer): Promise<{ ok: true } | { ok: false; reason: string }> {
  const [host, port] = server.split(':');
  const greeting = await new Promise<string>((resolve) => {
    const socket = createConnection({ host: host!, port: Number(port ?? 4222) });
    socket.setTimeout(2_000, () => (socket.destroy(), resolve('')));
    socket.on('data', (data) => (socket.destroy(), resolve(data.toString())));
    socket.on('error', () => resolve(''));
  });
  if (greeting.startsWith('INFO ') && greeting.includes('"jetstream":true')) return { ok: true };
  const reason = greeting === '' ? `NATS does not answer at ${server}` : `NATS at ${server} runs without JetStream`;
  skipOrFailUnderCi('NATS transport tests', reason);
  return { ok: false, reason };
}

/** A receiver like `connect`'s, decoding through this harness's registry. */
export function decodingReceiver(handle: (event: AnyEvent) => unknown | Promise<unknown>): (batch: IncomingBatch) => Promise<BatchOutcome> {
  return decodingReceiverOf(registry, handle);
}

/** Deletes streams (and their consumers), ignoring ones that are already gone. */
export async function deleteStreams(connection: NatsConnection, names: readonly string[]): Promise<void> {
  const jsm = await jetstreamManager(connection);
  for (const name of names) await jsm.streams.delete(name).catch(() => false);
}

/** Whether Redis answers (the chaos tests keep their side effects there); under CI it must. */
export async function redisAvailability(url: string): Promise<boolean> {
  if (await redisAnswers(url)) return true;
  skipOrFailUnderCi('NATS chaos test', `it keeps its side effects in Redis, which does not answer at ${url}`);
  return false;
}
