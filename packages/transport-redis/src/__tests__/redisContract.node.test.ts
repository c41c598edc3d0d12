import { testTransportContract } from '@eventwire/testing';
import { it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisStreamsTransport } from '../index.js';
import { deletePrefix, redisAvailability, redisUrl } from './redisHarness.js';

const availability = await redisAvailability();

// Every endpoint is its own consumer group on one stream, so each receives every event (the
// contract's "what one sends, every other one receives"); failed entries come back after 100 ms.
// Publish de-duplication is off so that re-sent events reach the receiver and the contract checks
// that `connect` drops them (publish de-duplication has its own test in redisTransport).
if (availability.ok) {
  testTransportContract('Redis Streams', ({ name, count }) => {
    const streamPrefix = `ewtest:contract:${name}`;
    const endpoints = Array.from(
      { length: count },
      (_, i) => new RedisStreamsTransport({ connection: redisUrl, streamPrefix, consumerGroup: `endpoint-${i}`, deduplicate: false, blockMs: 100, pendingIdleMs: 100, recoveryIntervalMs: 100 }),
    );
    const admin = new Redis(redisUrl);
    return {
      endpoints,
      injectRaw: async (values) => {
        for (const value of values) await admin.xadd(`${streamPrefix}:events`, '*', 'event', JSON.stringify(value));
      },
      dispose: async () => {
        await deletePrefix(admin, streamPrefix);
        await admin.quit();
      },
    };
  });
} else {
  // Only outside CI (under CI=true a missing broker fails the run): the reporter prints the
  // reason next to the skipped test.
  it('transport contract: Redis Streams', (context) => context.skip(availability.reason));
}
