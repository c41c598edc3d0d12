import { checkExpectedVersion } from './concurrencyError.js';
import { EventwireError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { Unsubscribe } from './eventBus.js';
import { toEventList } from './eventList.js';
import type {
  AppendOptions,
  AppendResult,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StoredEventHandler,
  StoreSubscribeOptions,
  StreamId,
} from './eventStore.js';
import { toFrozenPlainData } from './plainData.js';
import { followLog } from './storeFollower.js';
import { checkTrackingPosition, trackingKey, type StreamWrite, type Tracking, type TrackingEventStore } from './trackingStore.js';

interface AppendPlan {
  readonly streamId: StreamId;
  readonly fresh: readonly AnyEvent[];
  readonly duplicates: number;
}

/**
 * The reference event store, in memory: the twin of `IndexedDBEventStore` for Node, edge
 * runtimes and tests. Passes the same contract suite.
 *
 * @example
 * ```ts
 * const store = new InMemoryEventStore();
 * await store.append('Order-1', [placed], { expectedVersion: 0 });
 * const history = await store.readStream('Order-1');
 * ```
 */
export class InMemoryEventStore implements TrackingEventStore {
  readonly #log: StoredEvent[] = [];
  readonly #streams = new Map<StreamId, StoredEvent[]>();
  readonly #ids = new Map<string, StoredEvent>();
  readonly #followers = new Set<() => void>();
  readonly #tracking = new Map<string, number>();

  async append(streamId: StreamId, events: readonly AnyEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const plan = this.#plan({ streamId, events, expectedVersion: options.expectedVersion ?? 'any' }, new Map(), new Set());
    return this.#commit([plan])[0]!;
  }

  /**
   * Appends to several streams and records what was processed, all or nothing: the
   * {@link TrackingEventStore} contract that process applications rely on.
   * @throws {EventwireError} `CONCURRENCY_CONFLICT` when the tracking position was already
   *   recorded or a stream is not at its expected version; nothing is written then
   */
  async appendTracked(writes: readonly StreamWrite[], tracking: Tracking): Promise<AppendResult[]> {
    const key = trackingKey(tracking.consumer, tracking.upstream);
    checkTrackingPosition(tracking, this.#tracking.get(key) ?? 0);
    const pending = new Map<StreamId, number>();
    const pendingIds = new Set<string>();
    const plans = writes.map((write) => this.#plan(write, pending, pendingIds));
    const results = this.#commit(plans);
    this.#tracking.set(key, tracking.position);
    return results;
  }

  async getTrackedPosition(consumer: string, upstream: string): Promise<number> {
    return this.#tracking.get(trackingKey(consumer, upstream)) ?? 0;
  }

  /** Checks a write without changing anything; `pending` counts events planned earlier in the same batch. */
  #plan(write: StreamWrite, pending: Map<StreamId, number>, pendingIds: Set<string>): AppendPlan {
    const { streamId } = write;
    assertStreamId(streamId);
    const list = toEventList(write.events);
    const fresh = list.filter((event, index) => !this.#ids.has(event.id) && !pendingIds.has(event.id) && list.findIndex((other) => other.id === event.id) === index);
    const baseVersion = (this.#streams.get(streamId)?.length ?? 0) + (pending.get(streamId) ?? 0);
    if (fresh.length > 0) {
      // Structured-clone safety is checked here so that the twin refuses what IndexedDB refuses.
      for (const event of fresh) toFrozenPlainData(event, 'event');
      checkExpectedVersion(streamId, write.expectedVersion ?? 'any', baseVersion);
      pending.set(streamId, (pending.get(streamId) ?? 0) + fresh.length);
      for (const event of fresh) pendingIds.add(event.id);
    }
    return { streamId, fresh, duplicates: list.length - fresh.length };
  }

  #commit(plans: readonly AppendPlan[]): AppendResult[] {
    const results = plans.map(({ streamId, fresh, duplicates }) => {
      const stream = this.#streams.get(streamId) ?? [];
      const stored = fresh.map((event, i) => Object.freeze({ event, streamId, version: stream.length + i + 1, position: this.#log.length + i + 1 }));
      for (const record of stored) {
        this.#log.push(record);
        this.#ids.set(record.event.id, record);
      }
      if (stored.length > 0) this.#streams.set(streamId, [...stream, ...stored]);
      return { streamId, streamVersion: stream.length + stored.length, stored, duplicates };
    });
    if (results.some((result) => result.stored.length > 0)) for (const wake of this.#followers) wake();
    return results;
  }

  async readStream(streamId: StreamId, { fromVersion = 1, limit = Infinity }: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const stream = this.#streams.get(streamId) ?? [];
    return stream.slice(Math.max(fromVersion, 1) - 1, Math.max(fromVersion, 1) - 1 + limit);
  }

  async readAll({ fromPosition = 1, limit = Infinity }: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const start = Math.max(fromPosition, 1) - 1;
    return this.#log.slice(start, start + limit);
  }

  async getStreamVersion(streamId: StreamId): Promise<number> {
    return this.#streams.get(streamId)?.length ?? 0;
  }

  async getLastPosition(): Promise<number> {
    return this.#log.length;
  }

  subscribe(handler: StoredEventHandler, options: StoreSubscribeOptions = {}): Unsubscribe {
    return followLog({
      read: (from) => this.#log.slice(from - 1, from - 1 + 500),
      handler,
      options,
      onAppend: (wake) => {
        this.#followers.add(wake);
        return () => this.#followers.delete(wake);
      },
    });
  }
}

function assertStreamId(streamId: unknown): void {
  if (typeof streamId !== 'string' || streamId === '') {
    throw new EventwireError('INVALID_ARGUMENT', 'append: streamId must be a non-empty string');
  }
}
