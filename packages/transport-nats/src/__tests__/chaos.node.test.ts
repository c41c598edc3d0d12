import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsJetStreamTransport, type NatsDeadLetter } from '../index.js';
import { ChaosCharge, effectKeys } from '../../../../test-support/brokers/chaosEvents.js';
import { startChild, type JsonChild } from '../../../../test-support/brokers/childProcess.js';
import { deleteStreams, eventually, natsAvailability, natsServer, redisAvailability, uniqueNames } from './natsHarness.js';

const redisUrl = process.env.EVENTWIRE_REDIS_URL ?? 'redis://127.0.0.1:6379';
const availability = await natsAvailability();
const redisAvailable = availability.ok && (await redisAvailability(redisUrl));

// The handler's side effects live in Redis, which the machine also runs.
describe.skipIf(!availability.ok || !redisAvailable)('NATS transport under chaos', () => {
  let connection: NatsConnection;
  let effects: Redis;
  const children: JsonChild[] = [];
  const streams: string[] = [];
  beforeAll(async () => {
    connection = await connect({ servers: natsServer });
    effects = new Redis(redisUrl);
  });
  afterAll(async () => {
    for (const child of children) child.process.kill('SIGKILL');
    await deleteStreams(connection, streams);
    await connection.close();
    await effects.quit();
  });

  it('a consumer SIGKILLed mid-handler: its messages go to another consumer; 10,000 events, none lost, each effect applied once; poison in the dead letters after maxDeliver', async () => {
    const names = uniqueNames('chaos');
    streams.push(names.stream, `${names.stream}_DEAD_LETTERS`);
    const keys = effectKeys(names.stream);
    const poisonAt = new Set([777, 2_500, 5_000, 7_500, 9_999]);
    const events = Array.from({ length: 10_005 }, (_, n) => ChaosCharge.create({ n, amount: (n % 97) + 1, poison: poisonAt.has(n) }));
    const good = events.filter((event) => !event.data.poison);
    expect(good).toHaveLength(10_000);
    const expectedTotal = good.reduce((sum, event) => sum + event.data.amount, 0);

    const publisher = new NatsJetStreamTransport({ connection, ...names, storage: 'memory' });
    for (let i = 0; i < events.length; i += 500) await publisher.send(events.slice(i, i + 500));

    const config = (name: string, hangAtInvocation?: number) => ({ CHAOS_CONFIG: JSON.stringify({ natsServer, redisUrl, ...names, name, hangAtInvocation }) });
    const doomed = startChild(new URL('./chaosConsumer.ts', import.meta.url), config('doomed', 1_500));
    const survivor = startChild(new URL('./chaosConsumer.ts', import.meta.url), config('survivor'));
    children.push(doomed, survivor);
    const { hanging } = await doomed.waitFor('hanging');
    doomed.process.kill('SIGKILL');
    expect(await doomed.exited).toBe(null);

    await eventually(async () => ((await effects.hlen(keys.applied)) === 10_000 ? true : undefined), '10,000 applied effects', 120_000);
    const letters = await eventually(async () => {
      const list = await publisher.listDeadLetters();
      return list.length === 5 ? list : undefined;
    }, '5 dead letters', 60_000);
    const jsm = await jetstreamManager(connection);
    await eventually(async () => ((await jsm.consumers.info(names.stream, 'chaos')).num_ack_pending === 0 ? true : undefined), 'nothing left unacknowledged');

    survivor.process.kill('SIGTERM');
    const final = (await survivor.waitFor('stats')) as { stats: { redeliveries: number } };
    expect(Number(await effects.get(keys.total))).toBe(expectedTotal);
    expect(await effects.hexists(keys.applied, String(hanging))).toBe(1);
    expect(final.stats.redeliveries).toBeGreaterThanOrEqual(1);
    const invocations = Number(await effects.get(keys.invocations));
    expect(invocations).toBeGreaterThanOrEqual(10_000);
    console.log(`[chaos nats] handler calls reaching the effect: ${invocations} for 10,000 events (${invocations - 10_000} redelivered duplicates absorbed); survivor saw ${final.stats.redeliveries} redeliveries`);

    const poisonIds = new Set(events.filter((event) => event.data.poison).map((event) => event.id));
    expect(new Set(letters.map((letter: NatsDeadLetter) => letter.eventId))).toEqual(poisonIds);
    for (const letter of letters) {
      expect(letter.deliveries).toBe(3);
      expect(letter.reason.message).toMatch(/^poison charge \d+$/);
    }
    await publisher.close();
    await effects.del(keys.applied, keys.total, keys.invocations);
  }, 240_000);
});
