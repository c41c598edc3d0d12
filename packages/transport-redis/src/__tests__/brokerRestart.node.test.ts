import type { AnyEvent } from '@eventwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisStreamsTransport } from '../index.js';
import { redisServerBinaryAvailable, startOwnRedis, type OwnRedisServer } from './ownRedisServer.js';
import { decodingReceiver, eventually, placed, redisAvailability } from './redisHarness.js';

const availability = await redisAvailability();
const canStartRedis = redisServerBinaryAvailable();

describe.skipIf(!availability.ok || !canStartRedis)('Redis transport when the broker restarts under load', () => {
  let server: OwnRedisServer | undefined;
  const transports: RedisStreamsTransport[] = [];
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((transport) => transport.close()));
    await server?.dispose();
  });

  it('reconnects and resumes: every event is handled, re-sent batches add nothing', async () => {
    server = await startOwnRedis();
    const options = { connection: server.url, streamPrefix: 'restart', blockMs: 200, pendingIdleMs: 500, recoveryIntervalMs: 250 };
    const publisher = new RedisStreamsTransport(options);
    const consumer = new RedisStreamsTransport({ ...options, consumerName: 'survivor' });
    transports.push(publisher, consumer);
    const handled = new Map<string, number>();
    consumer.receive(decodingReceiver((event) => void handled.set(event.id, (handled.get(event.id) ?? 0) + 1)));

    const events: AnyEvent[] = Array.from({ length: 3_000 }, (_, n) => placed(n));
    let resends = 0;
    let restarting: Promise<void> | undefined;
    let handledAtKill = 0;
    const restart = async (broker: OwnRedisServer) => {
      handledAtKill = handled.size;
      await broker.kill(); // SIGKILL while the publisher publishes and the consumer consumes
      await new Promise((resolve) => setTimeout(resolve, 300));
      await broker.restart();
    };
    const publishing = (async () => {
      for (let i = 0; i < events.length; i += 30) {
        if (i === 990) {
          await eventually(() => (handled.size >= 500 ? true : undefined), 'the consumer to be busy');
          restarting = restart(server!);
        }
        for (;;) {
          try {
            await publisher.send(events.slice(i, i + 30));
            break;
          } catch {
            resends += 1; // the same batch again: idempotent
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      }
    })();
    await publishing;
    await restarting;
    await eventually(() => (handled.size === 3_000 ? true : undefined), 'every event after the restart', 60_000);

    expect(handledAtKill).toBeLessThan(3_000);
    expect(new Set(handled.keys())).toEqual(new Set(events.map((event) => event.id)));
    const info = await consumer.getStreamInfo();
    expect(info.length).toBe(3_000);
    expect(consumer.getStats().reconnections).toBeGreaterThanOrEqual(1);
    expect(publisher.getStats().reconnections).toBeGreaterThanOrEqual(1);
    console.log(`[restart redis] killed after ${handledAtKill} events handled; batches re-sent by the publisher: ${resends}; events handled twice: ${[...handled.values()].filter((count) => count > 1).length}`);
  }, 120_000);
});
