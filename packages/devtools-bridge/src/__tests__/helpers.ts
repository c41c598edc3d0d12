import { defineEvent, InMemoryEventBus } from '@eventwire/core';
import { vi } from 'vitest';
import { z } from 'zod';
import { createInPageChannel, createLiveClient, type BridgeMessage, type DevtoolsChannel, type DevtoolsClient, type WireBridgeMessage } from '../index.js';

export const OrderPlaced = defineEvent(
  'OrderPlaced',
  z.object({ customerName: z.string(), totalAmount: z.number(), cardNumber: z.string(), customerEmail: z.string() }),
  { aggregateType: 'Order' },
);
export const OrderShipped = defineEvent('OrderShipped', z.object({ trackingNumber: z.string() }), { aggregateType: 'Order' });

let counter = 0;
/** A name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${++counter}`;
}

/** A channel that remembers every message its side sent, serialized, as a devtools would get it. */
export function recordingChannel(inner: DevtoolsChannel): DevtoolsChannel & { readonly sent: WireBridgeMessage[] } {
  const sent: WireBridgeMessage[] = [];
  return {
    sent,
    send(message) {
      sent.push(JSON.parse(JSON.stringify(message)) as WireBridgeMessage);
      inner.send(message);
    },
    onMessage: (listener) => inner.onMessage(listener),
    close: () => inner.close(),
  };
}

/** A bus, an in-page channel whose bridge end records what it sends, and a live client on the other end. */
export function setup(): {
  bus: InMemoryEventBus;
  bridgeEnd: ReturnType<typeof recordingChannel>;
  client: DevtoolsClient;
  received: BridgeMessage[];
} {
  const bus = new InMemoryEventBus({ name: uniqueName('bus'), onHandlerError: () => {} });
  const [a, b] = createInPageChannel();
  const bridgeEnd = recordingChannel(a);
  const client = createLiveClient(b);
  const received: BridgeMessage[] = [];
  client.subscribe((message) => received.push(message));
  return { bus, bridgeEnd, client, received };
}

/** Waits until a message matching `predicate` has arrived. */
export async function waitForMessage<K extends BridgeMessage['kind']>(
  received: readonly BridgeMessage[],
  kind: K,
  predicate: (message: Extract<BridgeMessage, { kind: K }>) => boolean = () => true,
): Promise<Extract<BridgeMessage, { kind: K }>> {
  return vi.waitFor(
    () => {
      const found = received.find((message): message is Extract<BridgeMessage, { kind: K }> => message.kind === kind && predicate(message as Extract<BridgeMessage, { kind: K }>));
      if (found === undefined) throw new Error(`no ${kind} message yet`);
      return found;
    },
    { timeout: 5000, interval: 5 },
  );
}

/** Every record the client got, from snapshots and batches, in order. */
export function recordsOf(received: readonly BridgeMessage[]) {
  return received.flatMap((message) => (message.kind === 'snapshot' || message.kind === 'batch' ? message.records : []));
}
