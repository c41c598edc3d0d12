import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineEvent, InMemoryEventBus } from '@eventwire/core';
import { connectDevtools, createLiveClient, webSocketDevtoolsChannel, type BridgeMessage } from '@eventwire/devtools-bridge';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { RELAY_PATH, attachDevtoolsRelay } from '../../relay.mjs';

const Secret = defineEvent('PaymentTaken', z.object({ amount: z.number(), cardNumber: z.string() }));

describe('the devtools relay', () => {
  it('carries a Node process bridge to a devtools client over WebSocket, redacted', async () => {
    const server = createServer();
    const closeRelay = attachDevtoolsRelay(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${RELAY_PATH}`;

    const devtoolsSocket = new WebSocket(url);
    await new Promise((resolve) => devtoolsSocket.once('open', resolve));
    const client = createLiveClient(webSocketDevtoolsChannel(devtoolsSocket));
    const received: BridgeMessage[] = [];
    client.subscribe((message) => received.push(message));

    const bus = new InMemoryEventBus({ name: 'api' });
    bus.subscribe(Secret, function charge() {});
    const bridge = connectDevtools(bus, { channel: webSocketDevtoolsChannel(new WebSocket(url)), kind: 'process', label: 'api server', latency: 5, redact: ['cardNumber'] });
    await vi.waitFor(() => expect(received.some((m) => m.kind === 'snapshot')).toBe(true), { timeout: 5000 });
    await bus.publish(Secret.create({ amount: 5, cardNumber: '4000-0000-0000-0002' }));
    await vi.waitFor(() => expect(received.some((m) => m.kind === 'batch')).toBe(true), { timeout: 5000 });

    const hello = received.find((m) => m.kind === 'hello');
    expect(hello?.kind === 'hello' && hello.source).toMatchObject({ kind: 'process', label: 'api server', busName: 'api' });
    const batch = received.find((m) => m.kind === 'batch');
    const published = batch?.kind === 'batch' ? batch.records.find((r) => r.type === 'published') : undefined;
    expect(published?.type === 'published' && published.event.type).toBe(Secret.type);
    // The payload on demand, through the relay too: redacted.
    const eventId = published?.type === 'published' ? published.event.id : '';
    const commandId = client.send({ kind: 'get-events', target: bus.id, eventIds: [eventId] });
    await vi.waitFor(() => expect(received.some((m) => m.kind === 'events' && m.commandId === commandId)).toBe(true), { timeout: 5000 });
    const answer = received.find((m) => m.kind === 'events' && m.commandId === commandId);
    expect(answer?.kind === 'events' && answer.events[0]?.event.data).toEqual({ amount: 5, cardNumber: '[redacted]' });
    expect(JSON.stringify(received)).not.toContain('4000-0000-0000-0002');

    bridge.close();
    client.close();
    devtoolsSocket.close();
    closeRelay();
    await new Promise((resolve) => server.close(resolve));
  });
});
