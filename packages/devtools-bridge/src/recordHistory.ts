import type { AnyEvent, InitRecord, InspectionRecord, SerializedError, SubscriptionInfo } from '@eventwire/core';

/** A failed delivery as the history keeps it, for the detail view's whole errors. */
export interface KeptFailure {
  readonly eventId: string;
  readonly subscriptionId: string;
  readonly error: SerializedError;
}

/**
 * What a bridge keeps besides its ring of records (see `RecordRing`): the latest state record
 * of each topology item (leader, peer, store, projection), which stays when the ring rolls
 * over, and the current subscriptions.
 *
 * The last `keepEvents` published events (of `published` or `dispatched` records: the events, not the records) and failed
 * deliveries are kept apart, in rings: the devtools fetch payloads and whole errors from them on demand.
 */
export class RecordHistory {
  /** Sticky records, with their number in the bridge's ring. */
  readonly #sticky = new Map<string, { readonly record: InspectionRecord; readonly number: number }>();
  readonly #subscriptions = new Map<string, SubscriptionInfo>();
  #init: InitRecord | undefined;
  #dropped = 0;
  readonly #keep: number;
  readonly #events: AnyEvent[] = [];
  readonly #failures: KeptFailure[] = [];
  #eventsAt = 0;
  #failuresAt = 0;

  constructor(keepEvents: number) {
    this.#keep = Math.max(1, keepEvents);
  }

  get dropped(): number {
    return this.#dropped;
  }

  countDropped(count = 1): void {
    this.#dropped += count;
  }

  /** The first record of the inspection stream. */
  init(record: InitRecord): void {
    this.#init = record;
    for (const subscription of record.subscriptions) this.#subscriptions.set(subscription.id, subscription);
  }

  /**
   * Notes what a record changes (events, failures, topology, subscriptions): one switch,
   * usually nothing kept. `number` is the record's number in the bridge's ring.
   */
  add(record: InspectionRecord, number: number): void {
    switch (record.type) {
      case 'dispatched':
        this.#eventsAt = keep(this.#events, this.#eventsAt, record.event, this.#keep);
        if (record.failures !== undefined) {
          for (const { index, error } of record.failures) this.#failuresAt = keep(this.#failures, this.#failuresAt, { eventId: record.event.id, subscriptionId: record.subscriptionIds[index]!, error }, this.#keep);
        }
        return;
      case 'published':
        this.#eventsAt = keep(this.#events, this.#eventsAt, record.event, this.#keep);
        return;
      case 'failed':
        this.#failuresAt = keep(this.#failures, this.#failuresAt, record, this.#keep);
        return;
      case 'subscribed':
        this.#subscriptions.set(record.subscription.id, record.subscription);
        return;
      case 'unsubscribed':
        this.#subscriptions.delete(record.subscriptionId);
        return;
      case 'leader':
        return this.#stick(`leader:${record.election}`, record, number);
      case 'peer':
        return this.#stick(`peer:${record.peer.id}`, record, number);
      case 'stored':
        return this.#stick(`stored:${record.store}`, record, number);
      case 'checkpoint':
        return this.#stick(`checkpoint:${record.projection}`, record, number);
    }
  }

  /**
   * What a snapshot starts with: an init record with the current subscriptions and `stats`,
   * then the topology records the ring no longer holds (numbered below `oldestKept`).
   */
  head(stats: InitRecord['stats'] | undefined, oldestKept: number): InspectionRecord[] {
    const init = this.#init;
    const sticky = [...this.#sticky.values()].filter((entry) => entry.number < oldestKept).map((entry) => entry.record);
    if (init === undefined) return sticky;
    return [{ ...init, subscriptions: [...this.#subscriptions.values()], stats: stats ?? init.stats }, ...sticky];
  }

  /** A published event still kept (the last `keepEvents`). */
  findEvent(eventId: string): AnyEvent | undefined {
    const events = this.#events;
    for (let n = 0, i = this.#eventsAt - 1; n < events.length; n++, i--) {
      const event = events[(i + events.length) % events.length]!;
      if (event.id === eventId) return event;
    }
    return undefined;
  }

  /** The published events kept, oldest first. */
  keptEvents(): AnyEvent[] {
    const at = this.#eventsAt % this.#events.length || 0;
    return [...this.#events.slice(at), ...this.#events.slice(0, at)];
  }

  /** The failed deliveries kept of some events, by event id. */
  failuresOf(eventIds: ReadonlySet<string>): Map<string, KeptFailure[]> {
    const found = new Map<string, KeptFailure[]>();
    for (const record of this.#failures) {
      if (!eventIds.has(record.eventId)) continue;
      const list = found.get(record.eventId);
      if (list === undefined) found.set(record.eventId, [record]);
      else list.push(record);
    }
    return found;
  }

  #stick(key: string, record: InspectionRecord, number: number): void {
    this.#sticky.set(key, { record, number });
  }
}

/** Writes `record` into a ring of at most `size`; returns the next write index. */
function keep<R>(ring: R[], at: number, record: R, size: number): number {
  if (ring.length < size) {
    ring.push(record);
    return ring.length % size;
  }
  ring[at] = record;
  return (at + 1) % size;
}
