import { checkExpectedVersion } from './concurrencyError.js';
import { EventwireError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { Unsubscribe } from './eventBus.js';
import { toEventList } from './eventList.js';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StoredEventHandler,
  StoreSubscribeOptions,
  StreamId,
} from './eventStore.js';
import { toFrozenPlainData } from './plainData.js';
import { followLog } from './storeFollower.js';

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
export class InMemoryEventStore implements EventStore {
  readonly #log: StoredEvent[] = [];
  readonly #streams = new Map<StreamId, StoredEvent[]>();
  readonly #ids = new Map<string, StoredEvent>();
  readonly #followers = new Set<() => void>();

  async append(streamId: StreamId, events: readonly AnyEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    assertStreamId(streamId);
    const list = toEventList(events);
    const fresh = list.filter((event, index) => !this.#ids.has(event.id) && list.findIndex((other) => other.id === event.id) === index);
    const stream = this.#streams.get(streamId) ?? [];
    if (fresh.length === 0) return { streamId, streamVersion: stream.length, stored: [], duplicates: list.length };
    // Structured-clone safety is checked here so that the twin refuses what IndexedDB refuses.
    for (const event of fresh) toFrozenPlainData(event, 'event');
    checkExpectedVersion(streamId, options.expectedVersion ?? 'any', stream.length);
    const stored = fresh.map((event, i) => Object.freeze({ event, streamId, version: stream.length + i + 1, position: this.#log.length + i + 1 }));
    for (const record of stored) {
      this.#log.push(record);
      this.#ids.set(record.event.id, record);
    }
    this.#streams.set(streamId, [...stream, ...stored]);
    for (const wake of this.#followers) wake();
    return { streamId, streamVersion: stream.length + stored.length, stored, duplicates: list.length - fresh.length };
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
