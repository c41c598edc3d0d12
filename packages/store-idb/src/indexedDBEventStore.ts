import { EventwireError, followLog, reportTo, toFrozenPlainData, trackingKey } from '@eventwire/core';
import type {
  AnyEvent,
  AppendOptions,
  AppendResult,
  EventStore,
  InspectionReporter,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StoredEventHandler,
  StoreSubscribeOptions,
  StreamId,
  StreamWrite,
  Tracking,
  TrackingEventStore,
  Unsubscribe,
} from '@eventwire/core';
import type { IDBPDatabase } from 'idb';
import { AppendSignal } from './appendSignal.js';
import { eventsFromPosition, eventsOfStream } from './commitRecord.js';
import { IdbConnection } from './connection.js';
import type { IdbConnectionOptions } from './connection.js';
import { GroupCommit, streamRange } from './groupCommit.js';
import type { CommitRecord, EventwireDB } from './schema.js';
import { domErrorName, toStoreError } from './storeError.js';

/** Options of {@link IndexedDBEventStore}. */
export interface IndexedDBEventStoreOptions extends IdbConnectionOptions {
  /** The IndexedDB database name; one store per database. */
  name: string;
  /**
   * The durability of append transactions. `'strict'` waits for the disk to confirm (survives a
   * power cut, about half as fast); `'default'` survives tab and browser crashes.
   * @default 'default'
   */
  durability?: IDBTransactionDurability;
  /** Events packed per commit record. @default 128 */
  recordSize?: number;
  /** Write an outbox entry with every append, for an {@link OutboxRelay}. @default false */
  outbox?: boolean;
  /** Receives a `stored` record per stored event (a bus, for the devtools). */
  reporter?: InspectionReporter;
  /** @internal fault injection for tests: runs after an append transaction's writes. */
  beforeCommit?: (tx: IDBTransaction) => void;
}

/**
 * The durable event store of the browser, on IndexedDB through `idb`. Implements the core
 * `EventStore` contract exactly (the same contract suite as `InMemoryEventStore`):
 * atomic appends with optimistic concurrency, idempotency by event id (a unique index),
 * reads in global order, and subscriptions that catch up, then follow appends from this tab and
 * from every other tab of the origin.
 *
 * Appends issued in the same tick share one transaction (group commit), and their events are
 * packed into commit records, so batched writes go far past one record per event.
 *
 * @example
 * ```ts
 * const store = new IndexedDBEventStore({ name: 'orders-app' });
 * await store.append('Order-1', [OrderPlaced.create({ customer: 'Alice', total: 99.99 })], { expectedVersion: 0 });
 * store.subscribe((stored) => console.log(stored.position, stored.event.type));
 * ```
 */
export class IndexedDBEventStore implements EventStore, TrackingEventStore {
  readonly name: string;
  readonly #connection: IdbConnection;
  readonly #writer: GroupCommit;
  readonly #signal: AppendSignal;
  readonly #reporter: InspectionReporter | undefined;

  constructor(options: IndexedDBEventStoreOptions) {
    if (typeof options.name !== 'string' || options.name === '') throw new EventwireError('INVALID_ARGUMENT', 'IndexedDBEventStore: name must be a non-empty string');
    this.name = options.name;
    this.#reporter = options.reporter;
    this.#connection = new IdbConnection(options.name, options);
    this.#signal = new AppendSignal(options.name);
    const writerOptions = {
      durability: options.durability ?? 'default',
      recordSize: Math.max(1, options.recordSize ?? 128),
      outbox: options.outbox ?? false,
      onCommitted: (stored: readonly StoredEvent[], lastPosition: number) => this.#committed(stored, lastPosition),
    };
    this.#writer = new GroupCommit(this.#connection, options.beforeCommit === undefined ? writerOptions : { ...writerOptions, beforeCommit: options.beforeCommit });
  }

  /**
   * Creates a store and opens its database, so that a failure to open shows here.
   *
   * @example
   * ```ts
   * const store = await IndexedDBEventStore.open({ name: 'orders-app' });
   * ```
   */
  static async open(options: IndexedDBEventStoreOptions): Promise<IndexedDBEventStore> {
    const store = new IndexedDBEventStore(options);
    await store.database();
    return store;
  }

  append(streamId: StreamId, events: readonly AnyEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    try {
      const list = validate(streamId, events);
      return this.#writer.append(streamId, list, options.expectedVersion ?? 'any');
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Appends to several streams and records how far `tracking.consumer` processed
   * `tracking.upstream`, in one transaction: all or nothing (a process application's step).
   * @throws {ConcurrencyError} when a stream is not at its expected version
   * @throws {EventwireError} `CONCURRENCY_CONFLICT` when the tracking position is not past the recorded one
   */
  appendTracked(writes: readonly StreamWrite[], tracking: Tracking): Promise<AppendResult[]> {
    try {
      const appends = writes.map((write) => ({ streamId: write.streamId, events: validate(write.streamId, write.events), expectedVersion: write.expectedVersion ?? 'any' }));
      return this.#writer.appendTracked(appends, tracking);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The last position of `upstream` that `consumer` recorded with `appendTracked`; 0 when none. */
  getTrackedPosition(consumer: string, upstream: string): Promise<number> {
    return this.#read('getTrackedPosition', async (db) => (await db.get('checkpoints', trackingKey(consumer, upstream)))?.position ?? 0);
  }

  readStream(streamId: StreamId, { fromVersion = 1, limit = Infinity }: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const from = Math.max(fromVersion, 1);
    return this.#read('readStream', async (db) => {
      const index = db.transaction('commits', 'readonly').objectStore('commits').index('byStream');
      return readPaged(limit, (lower, count) => index.getAll(streamRange(streamId, lower), count), (records, want) => eventsOfStream(records, streamId, from, want), from, (stored) => stored.version + 1);
    });
  }

  readAll({ fromPosition = 1, limit = Infinity }: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const from = Math.max(fromPosition, 1);
    return this.#read('readAll', async (db) => {
      const commits = db.transaction('commits', 'readonly').objectStore('commits');
      return readPaged(limit, (lower, count) => commits.getAll(IDBKeyRange.lowerBound(lower), count), (records, want) => eventsFromPosition(records, from, want), from, (stored) => stored.position + 1);
    });
  }

  getStreamVersion(streamId: StreamId): Promise<number> {
    return this.#read('getStreamVersion', async (db) => {
      const cursor = await db.transaction('commits', 'readonly').objectStore('commits').index('byStream').openKeyCursor(streamRange(streamId), 'prev');
      return cursor?.key[1] ?? 0;
    });
  }

  getLastPosition(): Promise<number> {
    return this.#read('getLastPosition', async (db) => {
      const cursor = await db.transaction('commits', 'readonly').objectStore('commits').openKeyCursor(null, 'prev');
      return cursor?.key ?? 0;
    });
  }

  subscribe(handler: StoredEventHandler, options: StoreSubscribeOptions = {}): Unsubscribe {
    return followLog({
      read: (from) => this.readAll({ fromPosition: from, limit: 500 }),
      handler,
      options,
      onAppend: (wake) => this.#signal.listen(wake),
    });
  }

  /**
   * The open database, typed: read models written by an `IndexedDBCheckpointStore` live here.
   *
   * @example
   * ```ts
   * const db = await store.database();
   * const summary = await db.transaction('orderSummaries' as never).store.get('Order-1');
   * ```
   */
  database(): Promise<IDBPDatabase<EventwireDB>> {
    return this.#connection.get();
  }

  /** Waits for pending appends, then closes the connection and the cross-tab channel. */
  async close(): Promise<void> {
    await this.#writer.idle();
    this.#signal.close();
    await this.#connection.close();
  }

  /** @internal for the checkpoint, dead-letter and outbox stores of this package */
  get connection(): IdbConnection {
    return this.#connection;
  }

  /** @internal wakes this store's followers (used by the outbox relay) */
  onAppended(listener: () => void): () => void {
    return this.#signal.listen(listener);
  }

  async #read<T>(operation: string, run: (db: IDBPDatabase<EventwireDB>) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const db = await this.#connection.get();
      try {
        return await run(db);
      } catch (error) {
        // The connection was closed under us (a newer tab, the browser): reopen once.
        if (attempt === 1 && domErrorName(error) === 'InvalidStateError') {
          this.#connection.invalidate(db);
          continue;
        }
        throw toStoreError(error, operation);
      }
    }
  }

  #committed(stored: readonly StoredEvent[], lastPosition: number): void {
    this.#signal.appended(lastPosition);
    if (this.#reporter === undefined) return;
    for (const { streamId, event, version, position } of stored) {
      reportTo(this.#reporter, { type: 'stored', store: `indexeddb:${this.name}`, streamId, eventId: event.id, version, position });
    }
  }
}

/**
 * Reads commit records page by page until `limit` events are found, sizing each page from the
 * events per record seen so far, so that there are neither many small pages nor a large
 * over-read. Every record read contains at least one wanted event, so `limit` records always
 * suffice. `nextLower` gives the key after an event (its position or version, plus one).
 */
async function readPaged(
  limit: number,
  getAll: (lower: number, count: number | undefined) => Promise<CommitRecord[]>,
  extract: (records: readonly CommitRecord[], want: number) => StoredEvent[],
  from: number,
  nextLower: (stored: StoredEvent) => number,
): Promise<StoredEvent[]> {
  if (limit <= 0) return [];
  if (!Number.isFinite(limit)) return extract(unique(await getAll(from, undefined)), Infinity);
  const out: StoredEvent[] = [];
  let lower = from;
  let count = Math.min(limit, 32);
  for (;;) {
    const records = await getAll(lower, count);
    const found = extract(unique(records), limit - out.length);
    for (const stored of found) out.push(stored);
    const lastFound = found[found.length - 1];
    if (records.length < count || out.length >= limit || lastFound === undefined) return out;
    lower = nextLower(lastFound);
    count = Math.ceil((limit - out.length) / Math.max(1, found.length / records.length)) + 1;
  }
}

/** A record reached through two of its index keys (a stream's first and last version) once. */
function unique(records: CommitRecord[]): CommitRecord[] {
  if (records.length < 2) return records;
  const seen = new Set<number>();
  return records.filter((record) => !seen.has(record.last) && seen.add(record.last) !== undefined);
}

function validate(streamId: StreamId, events: readonly AnyEvent[]): readonly AnyEvent[] {
  if (typeof streamId !== 'string' || streamId === '') throw new EventwireError('INVALID_ARGUMENT', 'append: streamId must be a non-empty string');
  const list = Array.isArray(events) ? events : [events as unknown as AnyEvent];
  list.forEach(assertEvent);
  // Refuse what IndexedDB cannot clone before it joins a group commit, so one bad event
  // never fails the appends it would have shared a transaction with.
  for (const event of list) toFrozenPlainData(event, 'event');
  return list;
}

function assertEvent(value: unknown, index: number): void {
  const candidate = value as { id?: unknown; type?: unknown } | null;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.id !== 'string' || typeof candidate.type !== 'string') {
    throw new EventwireError('INVALID_EVENT', `append: item ${index} is not an event (expected an object with string "id" and "type")`, { details: { index } });
  }
}
