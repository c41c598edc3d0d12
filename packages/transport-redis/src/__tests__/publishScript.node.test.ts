import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisStreamsTransport } from '../index.js';
import { redisServerBinaryAvailable, startOwnRedis, type OwnRedisServer } from './ownRedisServer.js';
import { placed, redisAvailability } from './redisHarness.js';

const availability = await redisAvailability();
const canStartRedis = redisServerBinaryAvailable();

// On a Redis of its own, since it flushes the script cache.
describe.skipIf(!availability.ok || !canStartRedis)('Redis transport publish scripts', () => {
  let server: OwnRedisServer | undefined;
  afterEach(async () => {
    await server?.dispose();
  });

  it('sends the script whole when Redis does not know it (first use, after SCRIPT FLUSH), by its hash otherwise', async () => {
    server = await startOwnRedis();
    const admin = new Redis(server.url);
    const publisher = new RedisStreamsTransport({ connection: server.url, streamPrefix: 'scripts' });
    try {
      const calls = async () => {
        const stats = await admin.info('commandstats');
        const count = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
        return { eval: count('eval'), evalsha: count('evalsha') };
      };
      const first = placed(1);
      await publisher.send([first]); // unknown: EVALSHA answers NOSCRIPT, then EVAL
      await publisher.send([placed(2)]); // known: EVALSHA only
      await publisher.send([placed(3), placed(4)]); // the batch script: unknown, then EVAL
      expect(await calls()).toEqual({ eval: 2, evalsha: 3 });
      await admin.script('FLUSH');
      await publisher.send([placed(5)]);
      await publisher.send([placed(6), placed(7)]);
      await publisher.send([first]); // published already: skipped
      expect(await calls()).toEqual({ eval: 4, evalsha: 6 });
      expect(await admin.xlen('scripts:events')).toBe(7);
      expect(publisher.getStats().eventsPublished).toBe(7);
    } finally {
      await publisher.close();
      await admin.quit();
    }
  });
});
