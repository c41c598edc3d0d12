import { unpackEvents, type BatchMessage, type IncomingBatch, type PeerInfo } from '@eventwire/core';

/**
 * What one `postMessage` carries: a batch of events and who sent it, as core's `toBatchMessage`
 * builds it. A burst travels packed as one JSON string (events are plain data that survive JSON
 * unchanged): the structured clone of a string costs far less than that of as many objects, on
 * both sides. A few events travel as objects, which spares both sides a JSON round trip.
 */
export type BroadcastMessage = BatchMessage;

/**
 * Turns whatever arrived on the channel into a batch for `connect`, trusting nothing: a message
 * of the wrong shape (or a packed batch that does not parse to a list) becomes a one-payload
 * batch, so that `connect` rejects, counts and reports it instead of it vanishing. The claimed
 * sender is kept only when it is well formed.
 */
export function toIncomingBatch(data: unknown): IncomingBatch {
  if (!isRecord(data) || data['eventwire'] !== 1) return { payloads: [data] };
  const payloads = unpackEvents(data);
  if (payloads === undefined) return { payloads: [data] };
  const from = toPeerInfo(data['from']);
  return from === undefined ? { payloads } : { payloads, from };
}

function toPeerInfo(value: unknown): PeerInfo | undefined {
  if (!isRecord(value)) return undefined;
  const { id, kind, name } = value;
  if (typeof id !== 'string' || typeof kind !== 'string') return undefined;
  return typeof name === 'string' ? { id, kind, name } : { id, kind };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
