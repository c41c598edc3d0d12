import type { AnyEvent } from './event.js';

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
 * list from a sender of the older, unpacked format. `undefined` when it holds neither, or when
 * `packed` does not parse to a list: the transport then hands the message on whole, so that
 * `connect` rejects and counts it.
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
