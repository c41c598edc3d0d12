// A consumer process for the chaos test: a bus connected to the Redis transport, with an
// idempotent handler. Prints JSON lines: {"ready":true}, {"hanging":"<event id>"} when told to
// hang in the middle of a handler, and its final stats when it gets SIGTERM.
import { connect, InMemoryEventBus } from '@eventwire/core';
import { Redis } from 'ioredis';
import { RedisStreamsTransport } from '../index.js';
import { applyChargeOnce, ChaosCharge, chaosRegistry } from '../../../../test-support/brokers/chaosEvents.js';

interface ChaosConsumerConfig {
  readonly redisUrl: string;
  readonly streamPrefix: string;
  readonly consumerName: string;
  readonly hangAtInvocation?: number;
}

const config = JSON.parse(process.env.CHAOS_CONFIG ?? '{}') as ChaosConsumerConfig;
const effects = new Redis(config.redisUrl);
const transport = new RedisStreamsTransport({
  connection: config.redisUrl,
  streamPrefix: config.streamPrefix,
  consumerGroup: 'chaos',
  consumerName: config.consumerName,
  batchSize: 50,
  blockMs: 200,
  pendingIdleMs: 1_000,
  recoveryIntervalMs: 250,
  maxRetries: 2,
});
const bus = new InMemoryEventBus({ name: config.consumerName, onHandlerError: () => {} });
let invocations = 0;
bus.subscribe(ChaosCharge, async (event) => {
  invocations += 1;
  if (invocations === config.hangAtInvocation) {
    console.log(JSON.stringify({ hanging: event.id }));
    await new Promise(() => {}); // stuck in the middle of the handler until SIGKILL
  }
  if (event.data.poison) throw new Error(`poison charge ${event.data.n}`);
  await applyChargeOnce(effects, config.streamPrefix, event.id, event.data.amount);
});
const connection = connect(bus, transport, { registry: chaosRegistry });
console.log(JSON.stringify({ ready: true }));

process.on('SIGTERM', () => {
  void (async () => {
    await connection.close();
    await effects.quit();
    console.log(JSON.stringify({ stats: transport.getStats(), connection: connection.stats, invocations }));
    process.exit(0);
  })();
});
