import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStreamsTransport } from '../index.js';
import { ChaosCharge, effectKeys } from '../../../../test-support/brokers/chaosEvents.js';
import { startChild, type JsonChild } from '../../../../test-support/brokers/childProcess.js';
import { deletePrefix, eventually, redisAvailability, redisUrl, uniquePrefix } from './redisHarness.js';

const availability = await redisAvailability();

describe.skipIf(!availability.ok)('Redis transport under chaos', () => {
  let admin: Redis;
  const children: JsonChild[] = [];
  const prefixes: string[] = [];
  beforeAll(() => {
    admin = new Redis(redisUrl);
  });
  afterAll(async () => {
    for (const child of children) child.process.kill('SIGKILL');
    for (const prefix of prefixes) await deletePrefix(admin, prefix);
    await admin.quit();
  });

  it('a consumer SIGKILLed mid-handler: its entries go to another consumer; 10,000 events, none lost, each effect applied once; poison in the dead letters after the retries', async () => {
    const streamPrefix = uniquePrefix('chaos');
    prefixes.push(streamPrefix);
    const poisonAt = new Set([777, 2_500, 5_000, 7_500, 9_999]);
    const events = Array.from({ length: 10_005 }, (_, n) => ChaosCharge.create({ n, amount: (n % 97) + 1, poison: poisonAt.has(n) }));
    const good = events.filter((event) => !event.data.poison);
    expect(good).toHaveLength(10_000);
    const expectedTotal = good.reduce((sum, event) => sum + event.data.amount, 0);

    const publisher = new RedisStreamsTransport({ connection: redisUrl, streamPrefix });
    for (let i = 0; i < events.length; i += 500) await publisher.send(events.slice(i, i + 500));
    await publisher.close();

    const config = (consumerName: string, hangAtInvocation?: number) => ({ CHAOS_CONFIG: JSON.stringify({ redisUrl, streamPrefix, consumerName, hangAtInvocation }) });
    const doomed = startChild(new URL('./chaosConsumer.ts', import.meta.url), config('doomed', 1_500));
    const survivor = startChild(new URL('./chaosConsumer.ts', import.meta.url), config('survivor'));
    children.push(doomed, survivor);
    const { hanging } = await doomed.waitFor('hanging');
    doomed.process.kill('SIGKILL');
    expect(await doomed.exited).toBe(null);

    const keys = effectKeys(streamPrefix);
    await eventually(async () => ((await admin.hlen(keys.applied)) === 10_000 ? true : undefined), '10,000 applied effects', 120_000);
    const deadLetters = `${streamPrefix}:dead-letters`;
    await eventually(async () => ((await admin.xlen(deadLetters)) === 5 ? true : undefined), '5 dead letters', 60_000);
    await eventually(async () => {
      const groups = (await admin.xinfo('GROUPS', `${streamPrefix}:events`)) as unknown[][];
      return groups[0]?.[groups[0].indexOf('pending') + 1] === 0 ? true : undefined;
    }, 'an empty pending list');

    survivor.process.kill('SIGTERM');
    const final = (await survivor.waitFor('stats')) as { stats: { messagesRecovered: number; messagesSentToDeadLetter: number } };
    expect(Number(await admin.get(keys.total))).toBe(expectedTotal);
    expect(await admin.hexists(keys.applied, String(hanging))).toBe(1);
    expect(final.stats.messagesRecovered).toBeGreaterThanOrEqual(1);
    const invocations = Number(await admin.get(keys.invocations));
    expect(invocations).toBeGreaterThanOrEqual(10_000);
    console.log(`[chaos redis] handler calls that applied an effect or found it applied: ${invocations} for 10,000 events (${invocations - 10_000} redelivered duplicates absorbed by the idempotent handler); survivor recovered ${final.stats.messagesRecovered}`);

    const letters = (await admin.xrange(deadLetters, '-', '+')).map(([, flat]) => Object.fromEntries(flat.flatMap((v, i) => (i % 2 === 0 ? [[v, flat[i + 1]]] : []))));
    const poisonIds = new Set(events.filter((event) => event.data.poison).map((event) => event.id));
    expect(new Set(letters.map((letter) => letter.eventId))).toEqual(poisonIds);
    for (const letter of letters) {
      expect(Number(letter.attempts)).toBe(3);
      expect(JSON.parse(letter.reason!).message).toMatch(/^poison charge \d+$/);
    }
  }, 240_000);
});
