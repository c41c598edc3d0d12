import { testTransportContract } from '@eventwire/testing';
import { createPortTransport, type PortLike } from '../portTransport.js';

// Node 20 and Chromium both have MessageChannel: two endpoints joined by one channel.
testTransportContract('MessagePort', ({ count }) => {
  if (count !== 2) {
    // A port joins exactly two contexts; fan-out to more is the SharedWorker hub's job.
    return fanOut(count);
  }
  const channel = new MessageChannel();
  return {
    endpoints: [createPortTransport(channel.port1 as unknown as PortLike), createPortTransport(channel.port2 as unknown as PortLike)],
    injectRaw: async (values) => channel.port1.postMessage({ eventwire: 1, from: { id: 'forger', kind: 'tab' }, events: values }),
  };
});

/** Several endpoints joined through a relay of ports, for the contract's three-peer tests. */
function fanOut(count: number) {
  const channels = Array.from({ length: count }, () => new MessageChannel());
  // Each endpoint's far port forwards everything it gets to every other endpoint's far port.
  channels.forEach((channel, i) => {
    channel.port2.addEventListener('message', (event) => {
      channels.forEach((other, j) => j !== i && other.port2.postMessage(event.data));
    });
    channel.port2.start();
  });
  return {
    endpoints: channels.map((channel) => createPortTransport(channel.port1 as unknown as PortLike)),
    dispose: async () => channels.forEach((channel) => channel.port2.close()),
  };
}
