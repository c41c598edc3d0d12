import { createLoopbackTransports } from '../transportLoopback.js';
import { testTransportContract } from '../transportContract.js';

testTransportContract('loopback', ({ name, count }) => {
  const network = createLoopbackTransports(count, { name });
  return { endpoints: network.endpoints, injectRaw: (values) => network.inject(values, 0) };
});

// Some brokers deliver a publisher's own messages back to it: connect must drop those echoes.
testTransportContract('loopback that echoes to the sender', ({ name, count }) => {
  const network = createLoopbackTransports(count, { name, echo: true });
  return { endpoints: network.endpoints, injectRaw: (values) => network.inject(values, 0) };
});

// The same forged payloads, carried by `send` and structured-cloned like a real channel.
testTransportContract('loopback, forged input sent through send()', ({ name, count }) => ({
  endpoints: createLoopbackTransports(count, { name }).endpoints,
}));
