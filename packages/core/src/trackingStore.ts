import { EventwireError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { AppendResult, EventStore, ExpectedVersion, StreamId } from './eventStore.js';

/** One stream's part of a tracked write. */
export interface StreamWrite {
  readonly streamId: StreamId;
  readonly events: readonly AnyEvent[];
  /** @default 'any' */
  readonly expectedVersion?: ExpectedVersion;
}

/**
 * What a process application has processed: the position of an event in an upstream log.
 * Recorded in the same transaction as the events the processing wrote, so an upstream event
 * is processed exactly once, also after a crash, a reload or a second runner.
 */
export interface Tracking {
  /** The application that processed the event. */
  readonly consumer: string;
  /** The application (the log) the event came from. */
  readonly upstream: string;
  /** The event's position in the upstream log. */
  readonly position: number;
}

/**
 * An event store that can write events to several streams together with a tracking record,
 * all or nothing. `InMemoryEventStore` implements it; so does the IndexedDB store, where the
 * tracking record is a checkpoint row written in the same transaction as the events.
 *
 * - `appendTracked` rejects with `CONCURRENCY_CONFLICT` when the tracking position is not past
 *   the recorded one (the event was already processed, here or by another runner) or when a
 *   stream is not at its expected version; nothing is written then.
 * - `getTrackedPosition` is 0 when nothing was processed yet.
 *
 * @example
 * ```ts
 * await store.appendTracked(
 *   [{ streamId: 'Counter-roll over', events: [incremented], expectedVersion: 3 }],
 *   { consumer: 'TrickCounters', upstream: 'DogSchool', position: 42 },
 * );
 * await store.getTrackedPosition('TrickCounters', 'DogSchool'); // 42
 * ```
 */
export interface TrackingEventStore extends EventStore {
  appendTracked(writes: readonly StreamWrite[], tracking: Tracking): Promise<AppendResult[]>;
  getTrackedPosition(consumer: string, upstream: string): Promise<number>;
}

/**
 * Whether a store can record tracking atomically with its appends.
 *
 * @example
 * ```ts
 * if (!isTrackingEventStore(store)) throw new Error('process applications need a tracking store');
 * ```
 */
export function isTrackingEventStore(store: EventStore): store is TrackingEventStore {
  const candidate = store as Partial<TrackingEventStore>;
  return typeof candidate.appendTracked === 'function' && typeof candidate.getTrackedPosition === 'function';
}

/**
 * The key under which a store records a tracking position (the checkpoint name in stores
 * that keep tracking with their checkpoints).
 *
 * @example
 * ```ts
 * trackingKey('TrickCounters', 'DogSchool'); // 'tracking:TrickCounters<-DogSchool'
 * ```
 */
export function trackingKey(consumer: string, upstream: string): string {
  return `tracking:${consumer}<-${upstream}`;
}

/**
 * Checks a tracking record before a store appends with it: throws `INVALID_ARGUMENT` when it
 * is malformed and `CONCURRENCY_CONFLICT` when its position is not past the `recorded` one.
 * For store implementations, so that every store agrees exactly with the in-memory one.
 *
 * @example
 * ```ts
 * checkTrackingPosition({ consumer: 'Counters', upstream: 'Orders', position: 7 }, 6); // passes
 * checkTrackingPosition({ consumer: 'Counters', upstream: 'Orders', position: 6 }, 6); // throws CONCURRENCY_CONFLICT
 * ```
 */
export function checkTrackingPosition(tracking: Tracking, recorded: number): void {
  assertTracking(tracking);
  if (tracking.position > recorded) return;
  throw new EventwireError(
    'CONCURRENCY_CONFLICT',
    `${tracking.consumer} already processed ${tracking.upstream} up to position ${recorded}; position ${tracking.position} is not past it`,
    { details: { ...tracking, recorded } },
  );
}

function assertTracking(tracking: Tracking): void {
  const ok =
    typeof tracking === 'object' &&
    tracking !== null &&
    typeof tracking.consumer === 'string' &&
    tracking.consumer !== '' &&
    typeof tracking.upstream === 'string' &&
    tracking.upstream !== '' &&
    Number.isSafeInteger(tracking.position) &&
    tracking.position >= 1;
  if (!ok) throw new EventwireError('INVALID_ARGUMENT', 'appendTracked: tracking needs a consumer, an upstream and a position >= 1');
}
