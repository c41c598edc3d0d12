import { connect, defineEvent, EventRegistry, InMemoryEventBus, isEventwireError, type RejectedRecord } from '@eventwire/core';
import { createLoopbackTransports, testTransportContract, uniqueName } from '@eventwire/testing';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createBroadcastTransport } from '../broadcastTransport.js';

// Node 20 and Chromium both have BroadcastChannel, so the contract runs in both.
testTransportContract('BroadcastChannel', ({ name, count }) => {
  const endpoints = Array.from({ length: count }, () => createBroadcastTransport({ app: 'contract', channel: name }));
  return {
    endpoints,
    // A page script posting on the app's channel: a well-shaped batch of forged payloads.
    injectRaw: async (values) => {
      const raw = new BroadcastChannel(name);
      raw.postMessage({ eventwire: 1, from: { id: 'forger', kind: 'tab' }, events: values });
      raw.close();
    },
  };
});

const Note = defineEvent('BroadcastNote', z.object({ text: z.string() }));

describe('createBroadcastTransport', () => {
  it('names the channel after the app', () => {
    const transport = createBroadcastTransport({ app: 'shop' });
    expect(transport.channelName).toBe('eventwire:shop');
    expect(transport.name).toBe('broadcast:eventwire:shop');
    void transport.close();
  });

  it('refuses a missing app name with a clear error', () => {
    let error: unknown;
    try {
      createBroadcastTransport({} as never);
    } catch (thrown) {
      error = thrown;
    }
    expect(isEventwireError(error, 'INVALID_ARGUMENT')).toBe(true);
  });

  it('rejects and reports messages that are not batches at all, and keeps working', async () => {
    const channel = uniqueName('garbage');
    const bus = new InMemoryEventBus({ name: 'target' });
    const rejected: RejectedRecord[] = [];
    bus.inspect((record) => record.type === 'rejected' && rejected.push(record));
    const seen: string[] = [];
    bus.subscribe(Note, (event) => void seen.push(event.data.text));
    const connection = connect(bus, createBroadcastTransport({ app: 'x', channel }), { registry: new EventRegistry([Note]) });
    const raw = new BroadcastChannel(channel);
    const garbage = [
      null,
      1,
      'text',
      [1, 2],
      { eventwire: 2 },
      { eventwire: 1, events: 'nope' },
      { type: 'BroadcastNote' },
      // packed batches that do not parse, or parse to something other than a list
      { eventwire: 1, packed: '[{"id":' },
      { eventwire: 1, packed: '{"id":"x"}' },
    ];
    for (const message of garbage) raw.postMessage(message);
    raw.postMessage({ eventwire: 1, from: { id: 'x', kind: 'tab' }, events: [Note.create({ text: 'still works' })] });
    try {
      await vi.waitFor(() => expect(seen).toEqual(['still works']), { timeout: 10_000 });
      expect(connection.stats.rejected).toBe(garbage.length);
      expect(rejected).toHaveLength(garbage.length);
    } finally {
      raw.close();
      await connection.close();
    }
  }, 30_000);

  it('relays between a BroadcastChannel and another transport without echoing back', async () => {
    const channel = uniqueName('bridge');
    const registry = new EventRegistry([Note]);
    const [left, right] = createLoopbackTransports(2).endpoints;
    const hub = new InMemoryEventBus({ name: 'hub' });
    const tab = new InMemoryEventBus({ name: 'tab' });
    const worker = new InMemoryEventBus({ name: 'worker' });
    const connections = [
      connect(hub, createBroadcastTransport({ app: 'x', channel }), { registry }),
      connect(hub, left!, { registry }),
      connect(worker, right!, { registry }),
      connect(tab, createBroadcastTransport({ app: 'x', channel }), { registry }),
    ];
    const workerSeen: string[] = [];
    const tabSeen: string[] = [];
    worker.subscribe(Note, (event) => void workerSeen.push(event.data.text));
    tab.subscribe(Note, (event) => void tabSeen.push(event.data.text));
    await tab.publish(Note.create({ text: 'from tab' }));
    await worker.publish(Note.create({ text: 'from worker' }));
    try {
      const both = ['from tab', 'from worker'];
      await vi.waitFor(() => expect([[...workerSeen].sort(), [...tabSeen].sort()]).toEqual([both, both]), { timeout: 10_000 });
      // The hub relayed each event once, to the side it did not come from.
      expect(connections[0]!.stats.sent).toBe(1);
      expect(connections[1]!.stats.sent).toBe(1);
    } finally {
      await Promise.all(connections.map((connection) => connection.close()));
    }
  }, 30_000);
});
