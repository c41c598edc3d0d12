// A consumer process for the NATS chaos test: a bus connected to the JetStream transport, with
// an idempotent handler whose effects live in Redis. Prints JSON lines: {"ready":true},
// {"hanging":"<event id>"} when told to hang mid-handler, its final stats on SIGTERM.
import { connect as connectBus, InMemoryEventBus } from '@eventwire/core';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { NatsJetStreamTransport } from '../index.js';
import { applyChargeOnce, ChaosCharge, chaosRegistry } from '../../../../test-support/brokers/chaosEvents.js';

interface ChaosConsumerConfig {
  readonly natsServer: string;
  readonly redisUrl: string;
  readonly stream: string;
  readonly subjectPrefix: string;
  readonly name: string;
  readonly hangAtInvocation?: number;
}

const config = JSON.parse(process.env.CHAOS_CONFIG ?? '{}') as ChaosConsumerConfig;
const effects = new Redis(config.redisUrl);
const connection = await connect({ servers: config.natsServer, name: config.name });
const transport = new NatsJetStreamTransport({
  connection,
  stream: config.stream,
  subjectPrefix: config.subjectPrefix,
  durable: 'chaos',
  batchSize: 50,
  ackWaitMs: 2_000,
  maxDeliver: 3,
  retryDelayMs: 100,
  storage: 'memory',
  closeConnection: true,
});
const bus = new InMemoryEventBus({ name: config.name, onHandlerError: () => {} });
let invocations = 0;
bus.subscribe(ChaosCharge, async (event) => {
  invocations += 1;
  if (invocations === config.hangAtInvocation) {
    console.log(JSON.stringify({ hanging: event.id }));
    await new Promise(() => {}); // stuck in the middle of the handler until SIGKILL
  }
  if (event.data.poison) throw new Error(`poison charge ${event.data.n}`);
  await applyChargeOnce(effects, config.stream, event.id, event.data.amount);
});
const relay = connectBus(bus, transport, { registry: chaosRegistry });
await transport.ready();
console.log(JSON.stringify({ ready: true }));

process.on('SIGTERM', () => {
  void (async () => {
    await relay.close();
    await effects.quit();
    console.log(JSON.stringify({ stats: transport.getStats(), connection: relay.stats, invocations }));
    process.exit(0);
  })();
});
