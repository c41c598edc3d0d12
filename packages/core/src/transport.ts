import type { SerializedError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { Unsubscribe } from './eventBus.js';
import type { PeerInfo } from './inspection.js';

/** A batch of messages that arrived from another context, not yet decoded. */
export interface IncomingBatch {
  /** Envelope-shaped values, one per event; `connect` decodes each through the registry. */
  readonly payloads: readonly unknown[];
  /** Who sent them, when the transport knows. */
  readonly from?: PeerInfo;
}

/** One payload of a batch that was not handled. */
export interface PayloadProblem {
  readonly index: number;
  readonly error: SerializedError;
}

/**
 * What the receiver did with a batch, so the transport can settle each message: ack the
 * handled ones, redeliver the failed ones (brokers), dead-letter the rejected ones.
 */
export interface BatchOutcome {
  /** Indices of payloads that were decoded and whose handlers all succeeded (or duplicates). */
  readonly handled: readonly number[];
  /** Indices whose handlers failed: a broker redelivers them. */
  readonly failed: readonly PayloadProblem[];
  /** Indices that could not be decoded (invalid, forged, unknown type): never redelivered. */
  readonly rejected: readonly PayloadProblem[];
}

/**
 * The seam between a bus and another context: a tab, a worker, a broker. Small on purpose
 * (comlink's `Endpoint` is the model): send a batch, receive batches and settle them, close.
 *
 * @example
 * ```ts
 * const transport: Transport = {
 *   name: 'loopback',
 *   async send(events) { peer.deliver(events); },
 *   receive(handler) { peer.onBatch = handler; return () => (peer.onBatch = undefined); },
 *   async close() {},
 * };
 * ```
 */
export interface Transport {
  /** Shown by the devtools and used as the `source` of incoming events. */
  readonly name: string;
  /** Sends local events out; resolves once the transport has accepted them. */
  send(events: readonly AnyEvent[]): Promise<void>;
  /** Receives batches from elsewhere. One receiver at a time; returns its removal. */
  receive(handler: (batch: IncomingBatch) => Promise<BatchOutcome>): Unsubscribe;
  /** Stops sending and receiving. */
  close(): Promise<void>;
}
