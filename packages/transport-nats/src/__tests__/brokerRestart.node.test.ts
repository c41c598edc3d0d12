import type { AnyEvent } from '@eventwire/core';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { NatsJetStreamTransport } from '../index.js';
import { decodingReceiver, eventually, natsAvailability, placed } from './natsHarness.js';
import { natsServerBinaryAvailable, startOwnNats, type OwnNatsServer } from './ownNatsServer.js';

const availability = await natsAvailability();
const canStartNats = natsServerBinaryAvailable();

describe.skipIf(!availability.ok || !canStartNats)('NATS transport when the broker restarts under load', () => {
  let server: OwnNatsServer | undefined;
  const connections: NatsConnection[] = [];
  afterEach(async () => {
    for (const connection of connections.splice(0)) await connection.close().catch(() => undefined);
    await server?.dispose();
  });

  it('reconnects and resumes: every event is handled, re-sent events are refused as duplicates', async () => {
    server = await startOwnNats();
    const open = async () => {
      const connection = await connect({ servers: server!.server, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
      connections.push(connection);
      return connection;
    };
    const options = { stream: 'RESTART', subjectPrefix: 'restart', storage: 'file' as const, ackWaitMs: 2_000, retryDelayMs: 50, pullExpiresMs: 1_000 };
    const publisher = new NatsJetStreamTransport({ connection: await open(), ...options });
    const consumer = new NatsJetStreamTransport({ connection: await open(), ...options });
    const handled = new Map<string, number>();
    consumer.receive(decodingReceiver((event) => void handled.set(event.id, (handled.get(event.id) ?? 0) + 1)));
    await consumer.ready();

    const events: AnyEvent[] = Array.from({ length: 3_000 }, (_, n) => placed(n));
    let resends = 0;
    let restarting: Promise<void> | undefined;
    let handledAtKill = 0;
    const restart = async (broker: OwnNatsServer) => {
      handledAtKill = handled.size;
      await broker.kill(); // SIGKILL while the publisher publishes and the consumer consumes
      await new Promise((resolve) => setTimeout(resolve, 300));
      await broker.restart();
    };
    for (let i = 0; i < events.length; i += 30) {
      if (i === 990) {
        await eventually(() => (handled.size >= 500 ? true : undefined), 'the consumer to be busy');
        restarting = restart(server);
      }
      for (;;) {
        try {
          await publisher.send(events.slice(i, i + 30));
          break;
        } catch {
          resends += 1; // the same events again: Nats-Msg-Id makes it idempotent
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
    await restarting;
    await eventually(() => (handled.size === 3_000 ? true : undefined), 'every event after the restart', 90_000);

    expect(handledAtKill).toBeLessThan(3_000);
    expect(new Set(handled.keys())).toEqual(new Set(events.map((event) => event.id)));
    expect((await consumer.getStreamInfo()).messages).toBe(3_000);
    expect(consumer.getStats().reconnections).toBeGreaterThanOrEqual(1);
    expect(publisher.getStats().reconnections).toBeGreaterThanOrEqual(1);
    console.log(`[restart nats] killed after ${handledAtKill} events handled; sends retried: ${resends}; duplicates refused: ${publisher.getStats().duplicatesRefused}; events handled twice: ${[...handled.values()].filter((count) => count > 1).length}`);
    await consumer.close();
    await publisher.close();
  }, 150_000);
});
