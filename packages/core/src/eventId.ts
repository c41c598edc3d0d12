import { urlAlphabet } from 'nanoid';
import { runtime } from './runtimeGlobals.js';

const ID_LENGTH = 21;
/** Ids served by one refill of the pool. */
const IDS_PER_REFILL = 128;

/** The ids of one refill, written out as one string (flattened by the first slice). */
let block = '';
let offset = 0;

/**
 * A new event id: a 21-character nanoid (its URL-safe alphabet, 126 random bits), from pooled
 * randomness: one `crypto.getRandomValues` call fills the bytes of 128 ids, and each id uses its
 * own 21 of them once. Browsers charge for each `getRandomValues` call far more than for its
 * bytes: in Chromium here, one call per id (nanoid's way in browsers; it pools on Node) took
 * about 10 µs, more than making and publishing the event besides.
 * @internal
 *
 * @example
 * ```ts
 * const envelope = { id: init.id ?? newEventId(), type, occurredAt };
 * ```
 */
export function newEventId(): string {
  if (offset === block.length) refill();
  offset += ID_LENGTH;
  // A slice of one flat string, not 21 characters joined with +=: that makes a rope of 21
  // pieces (V8 joins strings of 13 or more characters lazily) which the first hash,
  // JSON.stringify or postMessage of the id has to flatten.
  return block.slice(offset - ID_LENGTH, offset);
}

function refill(): void {
  const bytes = runtime.crypto.getRandomValues(new Uint8Array(ID_LENGTH * IDS_PER_REFILL));
  // Joined with +=, a rope: the first slice flattens it, once for all 128 ids.
  block = '';
  for (const byte of bytes) block += urlAlphabet[byte & 63];
  offset = 0;
}
