import type { AnyEvent } from './event.js';
import type { PeerInfo } from './inspection.js';

/**
 * One batch of events as a transport posts it: who sent it, and the events either packed into
 * one JSON string ({@link packEvents}) or, for a few events, as they are.
 */
export type BatchMessage =
  | { readonly eventwire: 1; readonly from: PeerInfo; readonly packed: string }
  | { readonly eventwire: 1; readonly from?: PeerInfo; readonly events: readonly AnyEvent[] };

/**
 * Up to this many events are posted as objects. For a lone event (a relayed reply, a command),
 * packing saves nothing: the structured clone of one small object costs about what the clone of
 * its JSON text does, so the sender's `JSON.stringify` and the receiver's `JSON.parse` are pure
 * overhead (in Chromium, tab to tab, a relayed round trip measured 1-3% faster without them,
 * within that machine's noise). Bursts are packed, where one string clones far cheaper than many
 * objects.
 */
const objectBatchLimit = 8;

/**
 * The message that carries a batch from `from`: a burst packed as one JSON string, a few events
 * as objects. {@link unpackEvents} reads both.
 *
 * @example
 * ```ts
 * port.postMessage(toBatchMessage(peer, batch));
 * ```
 */
export function toBatchMessage(from: PeerInfo, events: readonly AnyEvent[]): BatchMessage {
  return events.length <= objectBatchLimit ? { eventwire: 1, from, events } : { eventwire: 1, from, packed: packEvents(events) };
}

/**
 * The events of a batch as one JSON string, for transports that post a batch as one message:
 * the structured clone of a string costs far less than that of as many small objects, and events
 * are plain data that survive JSON unchanged.
 *
 * @example
 * ```ts
 * port.postMessage({ eventwire: 1, from: peer, packed: packEvents(batch) });
 * ```
 */
export function packEvents(events: readonly AnyEvent[]): string {
  return JSON.stringify(events);
}

/**
 * The payloads of a batch message: its `packed` JSON list ({@link packEvents}), or its `events`
 * list (a small batch, or a sender of the older, unpacked format). `undefined` when it holds
 * neither, or when `packed` does not parse to a list: the transport then hands the message on
 * whole, so that `connect` rejects and counts it.
 *
 * @example
 * ```ts
 * const payloads = unpackEvents(message.data);
 * receiver(payloads === undefined ? { payloads: [message.data] } : { payloads });
 * ```
 */
export function unpackEvents(message: { readonly packed?: unknown; readonly events?: unknown }): unknown[] | undefined {
  const { packed, events } = message;
  if (typeof packed !== 'string') return Array.isArray(events) ? events : undefined;
  try {
    const parsed: unknown = JSON.parse(packed);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
