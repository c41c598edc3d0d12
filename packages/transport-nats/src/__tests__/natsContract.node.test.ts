import { testTransportContract } from '@eventwire/testing';
import { it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { NatsJetStreamTransport } from '../index.js';
import { deleteStreams, natsAvailability, natsServer, uniqueNames } from './natsHarness.js';

const availability = await natsAvailability();

// Every endpoint is its own durable consumer on one stream, so each receives every event (the
// contract's "what one sends, every other one receives"); failed messages come back after 20 ms.
// Publish de-duplication (Nats-Msg-Id) is off so that re-sent events reach the receiver and the
// contract checks that `connect` drops them (de-duplication has its own test in natsTransport).
if (availability.ok) {
  testTransportContract('NATS JetStream', async ({ count }) => {
    const connection = await connect({ servers: natsServer });
    const names = uniqueNames('contract');
    const endpoints = Array.from(
      { length: count },
      (_, i) => new NatsJetStreamTransport({ connection, ...names, durable: `endpoint-${i}`, deduplicate: false, storage: 'memory', retryDelayMs: 20 }),
    );
    const js = jetstream(connection);
    return {
      endpoints,
      injectRaw: async (values) => {
        await endpoints[0]!.ready();
        for (const value of values) await js.publish(`${names.subjectPrefix}.Contract.ContractPing`, JSON.stringify(value));
      },
      dispose: async () => {
        await deleteStreams(connection, [names.stream, `${names.stream}_DEAD_LETTERS`]);
        await connection.close();
      },
    };
  });
} else {
  // Only outside CI (under CI=true a missing broker fails the run): the reporter prints the
  // reason next to the skipped test.
  it('transport contract: NATS JetStream', (context) => context.skip(availability.reason));
}
