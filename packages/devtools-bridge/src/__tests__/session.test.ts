import { InMemoryEventBus } from '@eventwire/core';
import { describe, expect, it, vi } from 'vitest';
import {
  PROTOCOL_VERSION,
  broadcastDevtoolsChannel,
  connectDevtools,
  createLiveClient,
  createSession,
  createStaticClient,
  type BridgeMessage,
} from '../index.js';
import { OrderPlaced, recordsOf, setup, uniqueName, waitForMessage } from './helpers.js';

describe('clients', () => {
  it('a static client replays an exported session as hello + snapshot per source', async () => {
    const { bus, bridgeEnd, received } = setup();
    const bridge = connectDevtools(bus, { channel: bridgeEnd, latency: 1 });
    const snapshot = await waitForMessage(received, 'snapshot');
    const hello = await waitForMessage(received, 'hello');
    await bus.publish(OrderPlaced.create({ customerName: 'a', totalAmount: 1, cardNumber: '1', customerEmail: 'e' }));
    await vi.waitFor(() => expect(recordsOf(received).some((r) => r.type === 'published')).toBe(true));
    bridge.close();

    const session = createSession([{ source: hello.source, paused: false, dropped: 0, stats: snapshot.stats, records: recordsOf(received) }]);
    const client = createStaticClient(JSON.stringify(session));
    const replayed: BridgeMessage[] = [];
    client.subscribe((message) => replayed.push(message));
    expect(client.mode).toBe('static');
    expect(replayed.map((m) => m.kind)).toEqual(['hello', 'snapshot']);
    expect(recordsOf(replayed).map((r) => r.type)).toEqual(recordsOf(received).map((r) => r.type));
    expect(client.send({ kind: 'discover', target: '*' })).toBe('');
  });

  it('refuses files that are not sessions, and sessions of another protocol, with typed errors', () => {
    expect(() => createStaticClient('{not json')).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => createStaticClient({ format: 'something-else' } as never)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => createStaticClient({ format: 'eventwire-devtools-session', protocol: PROTOCOL_VERSION + 1, sources: [] } as never)).toThrowError(
      expect.objectContaining({ code: 'DEVTOOLS_PROTOCOL_MISMATCH' }),
    );
    expect(() => createStaticClient({ format: 'eventwire-devtools-session', protocol: PROTOCOL_VERSION, sources: [{ nope: 1 }] } as never)).toThrowError(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('opens session files of protocol 1: only how records travel changed, not how sessions hold them', () => {
    const source = { id: 'b1', busName: 'orders', label: 'tab', kind: 'tab', startedAt: 1 };
    const stats = { eventsPublished: 0, handlersInvoked: 0, handlerErrors: 0, backgroundTasksCreated: 0, backgroundTasksCompleted: 0 };
    const init = { type: 'init', busId: 'b1', time: 1, busName: 'orders', subscriptions: [], stats };
    const client = createStaticClient({ format: 'eventwire-devtools-session', protocol: 1, exportedAt: '', sources: [{ source, paused: false, dropped: 0, stats, records: [init] }] } as never);
    const replayed: BridgeMessage[] = [];
    client.subscribe((message) => replayed.push(message));
    expect(recordsOf(replayed)).toEqual([init]);
  });

  it('a live client over BroadcastChannel sees every bridge of the origin, including one that starts later', async () => {
    const name = uniqueName('devtools-channel');
    const first = new InMemoryEventBus({ name: 'tab-a' });
    const bridgeA = connectDevtools(first, { channel: broadcastDevtoolsChannel(name), latency: 1, label: 'Tab A' });
    const client = createLiveClient(broadcastDevtoolsChannel(name));
    const received: BridgeMessage[] = [];
    client.subscribe((message) => received.push(message));
    await waitForMessage(received, 'snapshot', (m) => m.sourceId === first.id);

    const second = new InMemoryEventBus({ name: 'tab-b' });
    const bridgeB = connectDevtools(second, { channel: broadcastDevtoolsChannel(name), latency: 1, label: 'Tab B' });
    await waitForMessage(received, 'snapshot', (m) => m.sourceId === second.id);
    await second.publish(OrderPlaced.create({ customerName: 'b', totalAmount: 2, cardNumber: '1', customerEmail: 'e' }));
    const batch = await waitForMessage(received, 'batch', (m) => m.sourceId === second.id);
    expect(batch.records[0]?.type).toBe('published');
    expect(received.filter((m) => m.kind === 'hello').map((m) => m.kind === 'hello' && m.source.label).sort()).toEqual(['Tab A', 'Tab B']);
    bridgeA.close();
    bridgeB.close();
    await waitForMessage(received, 'bye', (m) => m.sourceId === first.id);
    client.close();
  });
});
