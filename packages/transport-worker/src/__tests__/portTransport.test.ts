import { connect, defineEvent, EventRegistry, InMemoryEventBus } from '@eventwire/core';
import { testTransportContract } from '@eventwire/testing';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
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

describe('createPortTransport', () => {
  const Note = defineEvent('PortNote', z.object({ text: z.string() }));

  it.each([
    { batch: 'a burst', size: 20, format: 'packed' },
    { batch: 'a few events', size: 2, format: 'events' },
  ])('posts $batch as one message ($format) and unpacks it on the other side', async ({ size, format }) => {
    const channel = new MessageChannel();
    const seen: unknown[] = [];
    channel.port2.addEventListener('message', (event) => seen.push(event.data));
    channel.port2.start();
    const transport = createPortTransport(channel.port1 as unknown as PortLike, { peer: { id: 'me', kind: 'tab' } });
    const events = Array.from({ length: size }, (_, i) => Note.create({ text: `t${i}` }));
    await transport.send(events);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toEqual({ eventwire: 1, from: { id: 'me', kind: 'tab' }, [format]: format === 'packed' ? JSON.stringify(events) : events });
    const bus = new InMemoryEventBus();
    const texts: string[] = [];
    bus.subscribe(Note, (event) => void texts.push(event.data.text));
    const connection = connect(bus, createPortTransport(channel.port2 as unknown as PortLike), { registry: new EventRegistry([Note]) });
    channel.port1.postMessage(seen[0]);
    await vi.waitFor(() => expect(texts).toEqual(events.map((event) => event.data.text)));
    await connection.close();
    await transport.close();
  });

  it('rejects a packed batch that does not parse to a list as one payload, and keeps working', async () => {
    const channel = new MessageChannel();
    const bus = new InMemoryEventBus();
    const texts: string[] = [];
    bus.subscribe(Note, (event) => void texts.push(event.data.text));
    const connection = connect(bus, createPortTransport(channel.port2 as unknown as PortLike), { registry: new EventRegistry([Note]) });
    for (const packed of ['[{"id":', '{"id":"x"}', '42']) channel.port1.postMessage({ eventwire: 1, from: { id: 'forger', kind: 'tab' }, packed });
    channel.port1.postMessage({ eventwire: 1, packed: JSON.stringify([Note.create({ text: 'still works' })]) });
    await vi.waitFor(() => expect(texts).toEqual(['still works']));
    expect(connection.stats).toMatchObject({ rejected: 3, received: 1 });
    await connection.close();
    channel.port1.close();
  });

  it('relays what handlers publish while incoming events are dispatched, and never echoes the incoming ones', async () => {
    const channel = new MessageChannel();
    const registry = new EventRegistry([Note]);
    const [left, right] = [new InMemoryEventBus(), new InMemoryEventBus()];
    const connections = [
      connect(left, createPortTransport(channel.port1 as unknown as PortLike), { registry }),
      connect(right, createPortTransport(channel.port2 as unknown as PortLike), { registry }),
    ];
    // The right side answers each note with a reply, synchronously, from inside the dispatch.
    right.subscribe(Note, (event) => {
      if (!event.data.text.startsWith('re:')) right.publishSync(Note.create({ text: `re:${event.data.text}` }));
    });
    const leftSeen: string[] = [];
    left.subscribe(Note, (event) => void leftSeen.push(event.data.text));
    left.publishSync([Note.create({ text: 'a' }), Note.create({ text: 'b' }), Note.create({ text: 'c' })]);
    await vi.waitFor(() => expect(leftSeen).toEqual(['a', 'b', 'c', 're:a', 're:b', 're:c']));
    await Promise.all(connections.map((connection) => connection.flush()));
    expect(connections.map((connection) => connection.stats)).toMatchObject([
      { sent: 3, received: 3, duplicates: 0 },
      { sent: 3, received: 3, duplicates: 0 },
    ]);
    await Promise.all(connections.map((connection) => connection.close()));
  });
});
