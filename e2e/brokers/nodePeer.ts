// The Node process of the WebSocket test: a bus on the same JetStream stream over TCP. Reads
// commands as JSON lines on stdin ({"publish":"text"}), prints JSON lines: {"ready":true},
// {"received":{...}} for each note from the tab, {"published":"<id>"}.
import { connect as connectBus, InMemoryEventBus } from '@eventwire/core';
import { NatsJetStreamTransport } from '@eventwire/transport-nats';
import { connect } from '@nats-io/transport-node';
import { createInterface } from 'node:readline';
import { NoteAdded, registry } from '../fixtures/brokers/events.js';

const { server, stream, prefix } = JSON.parse(process.env.NODE_PEER_CONFIG ?? '{}') as { server: string; stream: string; prefix: string };
const connection = await connect({ servers: server });
const transport = new NatsJetStreamTransport({ connection, stream, subjectPrefix: prefix, durable: 'node', storage: 'memory', name: 'nats-tcp', closeConnection: true });
const bus = new InMemoryEventBus({ name: 'node' });
bus.subscribe(NoteAdded, (event) => {
  if (event.data.from === 'tab') console.log(JSON.stringify({ received: event.data, rejected: relay.stats.rejected }));
});
const relay = connectBus(bus, transport, { registry });
await transport.ready();
console.log(JSON.stringify({ ready: true }));

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { publish?: string };
  if (command.publish === undefined) return;
  const event = NoteAdded.create({ text: command.publish, from: 'node' });
  void bus.publish(event).then(() => relay.flush()).then(() => console.log(JSON.stringify({ published: event.id })));
});
process.stdin.on('end', () => void relay.close().then(() => process.exit(0)));
