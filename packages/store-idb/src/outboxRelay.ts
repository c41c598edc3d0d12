import { reportTo } from '@eventwire/core';
import type { EventPublisher, InspectionReporter } from '@eventwire/core';
import type { IndexedDBEventStore } from './indexedDBEventStore.js';
import type { OutboxEntry } from './schema.js';

/** Options of {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  /** A store created with `outbox: true`. */
  store: IndexedDBEventStore;
  /** Where the events go: a bus, a transport, anything with `publish`. */
  publisher: EventPublisher;
  /** Receives a `transport` record (direction `out`) per published entry. */
  reporter?: InspectionReporter;
  /** Called when publishing fails; the entry stays and is retried. */
  onError?: (error: unknown, entry: OutboxEntry) => void;
  /** Wait before retrying after a failure, in ms. @default 1_000 */
  retryDelayMs?: number;
}

/**
 * Drains the outbox of an `IndexedDBEventStore` to a publisher, at least once: an entry (the
 * events of one append transaction, written atomically with them) is deleted only after
 * `publish` resolved, so a reload or crash in between publishes it again, never loses it.
 * Where Web Locks exist, one relay per database drains at a time across all tabs.
 *
 * @example
 * ```ts
 * const store = new IndexedDBEventStore({ name: 'shop', outbox: true });
 * const repository = new AggregateRepository({ eventStore: store, aggregateFactory: Order, aggregateType: 'Order' });
 * const relay = new OutboxRelay({ store, publisher: bus });
 * relay.start(); // publishes what earlier sessions left, then every save
 * ```
 */
export class OutboxRelay {
  readonly #options: OutboxRelayOptions;
  #stopListening: (() => void) | undefined;
  #draining: Promise<number> | undefined;
  #again = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: OutboxRelayOptions) {
    this.#options = options;
  }

  /** Drains now, then after every append (from any tab) until `stop`. */
  start(): void {
    if (this.#stopListening !== undefined) return;
    this.#stopListening = this.#options.store.onAppended(() => void this.drain().catch(() => {}));
    void this.drain().catch(() => {});
  }

  stop(): void {
    this.#stopListening?.();
    this.#stopListening = undefined;
    clearTimeout(this.#retryTimer);
  }

  /** The entries not published yet, oldest first. */
  async pending(): Promise<OutboxEntry[]> {
    const db = await this.#options.store.database();
    return db.getAll('outbox');
  }

  /**
   * Publishes every pending entry in order; resolves with the number of events published.
   * @throws the publisher's error (the entry stays for the next drain)
   */
  drain(): Promise<number> {
    if (this.#draining !== undefined) {
      this.#again = true;
      return this.#draining;
    }
    this.#draining = this.#drainLocked().finally(() => {
      this.#draining = undefined;
      if (this.#again) {
        this.#again = false;
        void this.drain().catch(() => {});
      }
    });
    return this.#draining;
  }

  #drainLocked(): Promise<number> {
    const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
    const run = (): Promise<number> => this.#drainAll();
    return locks === undefined ? run() : locks.request(`eventwire-outbox:${this.#options.store.name}`, run);
  }

  async #drainAll(): Promise<number> {
    let published = 0;
    for (let entries = await this.pending(); entries.length > 0; entries = await this.pending()) {
      for (const entry of entries) published += await this.#publish(entry);
    }
    return published;
  }

  async #publish(entry: OutboxEntry): Promise<number> {
    const { store, publisher } = this.#options;
    const stored = await store.readAll({ fromPosition: entry.first, limit: entry.last - entry.first + 1 });
    try {
      await publisher.publish(stored.map((s) => s.event));
    } catch (error) {
      this.#options.onError?.(error, entry);
      if (this.#stopListening !== undefined) this.#retryTimer = setTimeout(() => void this.drain().catch(() => {}), this.#options.retryDelayMs ?? 1_000);
      throw error;
    }
    const db = await store.database();
    if (entry.seq !== undefined) await db.delete('outbox', entry.seq);
    reportTo(this.#options.reporter, { type: 'transport', direction: 'out', transport: `outbox:${store.name}`, eventIds: stored.map((s) => s.event.id) });
    return stored.length;
  }
}
