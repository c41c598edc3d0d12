import type { AnyEvent, Flavour } from './event.js';
import type { Unsubscribe } from './eventBus.js';

/** The id of a stream, usually `<aggregateType>-<aggregateId>`. */
export type StreamId = Flavour<string, 'StreamId'>;

/**
 * What the writer believes the stream's version to be: a number (0 for a stream that does not
 * exist yet), `'noStream'`, `'streamExists'`, or `'any'` to skip the check.
 */
export type ExpectedVersion = number | 'any' | 'noStream' | 'streamExists';

/** An event as the store keeps it. */
export interface StoredEvent<E extends AnyEvent = AnyEvent> {
  readonly event: E;
  readonly streamId: StreamId;
  /** 1-based version within the stream. */
  readonly version: number;
  /** 1-based position in the store's global order; never reused. */
  readonly position: number;
}

/** Options of `append`. */
export interface AppendOptions {
  /** @default 'any' */
  expectedVersion?: ExpectedVersion;
}

/** What an `append` wrote. */
export interface AppendResult {
  readonly streamId: StreamId;
  /** The stream's version after the append. */
  readonly streamVersion: number;
  /** The events this call wrote (events already stored are skipped). */
  readonly stored: readonly StoredEvent[];
  /** How many of the given events were already stored (idempotent retries). */
  readonly duplicates: number;
}

/** Options of `readStream`. */
export interface ReadStreamOptions {
  /** @default 1 */
  fromVersion?: number;
  limit?: number;
}

/** Options of `readAll`. */
export interface ReadAllOptions {
  /** Inclusive. @default 1 */
  fromPosition?: number;
  limit?: number;
}

/** Options of `subscribe`. */
export interface StoreSubscribeOptions {
  /** Inclusive: the first position delivered. @default 1 */
  fromPosition?: number;
  /**
   * Called when the handler throws; the subscription then stops, so nothing is skipped. Resume
   * with a new subscription from the failed position.
   */
  onError?: (error: unknown, stored: StoredEvent) => void;
}

/** Handles one stored event; the next is delivered after the returned promise settles. */
export type StoredEventHandler = (stored: StoredEvent) => unknown;

/**
 * The event store contract. `InMemoryEventStore` is the reference; `IndexedDBEventStore`
 * and every future store pass the same contract suite (`@eventwire/testing`).
 *
 * - `append` is atomic: all events or none. A wrong `expectedVersion` rejects with
 *   `ConcurrencyError`. An event id already stored is skipped, so retries are safe.
 * - `readAll` and `subscribe` go in global order; `subscribe` catches up, then follows live.
 */
export interface EventStore {
  append(streamId: StreamId, events: readonly AnyEvent[], options?: AppendOptions): Promise<AppendResult>;
  readStream(streamId: StreamId, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** The stream's current version; 0 when it does not exist. */
  getStreamVersion(streamId: StreamId): Promise<number>;
  /** The position of the last stored event; 0 when the store is empty. */
  getLastPosition(): Promise<number>;
  subscribe(handler: StoredEventHandler, options?: StoreSubscribeOptions): Unsubscribe;
  close?(): Promise<void>;
}
