import type { FailedRecord, InitRecord, InspectionRecord, PublishedRecord, SubscriptionInfo } from '@eventwire/core';

/**
 * What a bridge keeps for devtools that connect late: the last `maxAge` records, plus the
 * latest state record of each topology item (leader, peer, store, projection), which stays
 * even when the history rolls over, and the current subscriptions.
 *
 * Adding a record is one push: the topology and subscriptions are read from the new records
 * later, in bulk, when the history is trimmed or a snapshot is taken. The history is also the
 * bridge's send buffer: the records from `sent` on have not been sent yet.
 *
 * The last `keepEvents` published events and failed deliveries are kept apart, in rings filled
 * in the same bulk pass: the devtools fetch payloads and whole errors from them on demand.
 */
export class RecordHistory {
  readonly #maxAge: number;
  /** The length at which {@link trim} must run. */
  readonly trimAt: number;
  /** Raw records, oldest first; at most `trimAt`. */
  readonly records: InspectionRecord[] = [];
  /** `records[sent..]` are not sent yet. */
  sent = 0;
  readonly #sticky = new Map<string, InspectionRecord>();
  readonly #subscriptions = new Map<string, SubscriptionInfo>();
  #indexed = 0;
  #init: InitRecord | undefined;
  #dropped = 0;
  readonly #keep: number;
  readonly #events: PublishedRecord[] = [];
  readonly #failures: FailedRecord[] = [];
  #eventsAt = 0;
  #failuresAt = 0;

  constructor(maxAge: number, keepEvents: number = maxAge) {
    this.#maxAge = Math.max(1, maxAge);
    this.#keep = Math.max(1, keepEvents);
    // Trim in chunks so a full history costs one splice per maxAge/4 records, not one per record.
    this.trimAt = this.#maxAge + Math.max(1, this.#maxAge >> 2);
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

  /** Drops the oldest records beyond `maxAge` (the caller sends them first if it must). */
  trim(): void {
    this.#index();
    const excess = this.records.length - this.#maxAge;
    if (excess <= 0) return;
    this.records.splice(0, excess);
    this.#dropped += excess;
    this.#indexed -= excess;
    this.sent = Math.max(0, this.sent - excess);
  }

  /** A published event still kept (the last `keepEvents`). */
  findEvent(eventId: string): PublishedRecord | undefined {
    this.#index();
    const events = this.#events;
    for (let n = 0, i = this.#eventsAt - 1; n < events.length; n++, i--) {
      const record = events[(i + events.length) % events.length]!;
      if (record.event.id === eventId) return record;
    }
    return undefined;
  }

  /** The published events kept, oldest first. */
  keptEvents(): PublishedRecord[] {
    this.#index();
    const at = this.#eventsAt % this.#events.length || 0;
    return [...this.#events.slice(at), ...this.#events.slice(0, at)];
  }

  /** The failed deliveries kept of some events, by event id. */
  failuresOf(eventIds: ReadonlySet<string>): Map<string, FailedRecord[]> {
    this.#index();
    const found = new Map<string, FailedRecord[]>();
    for (const record of this.#failures) {
      if (!eventIds.has(record.eventId)) continue;
      const list = found.get(record.eventId);
      if (list === undefined) found.set(record.eventId, [record]);
      else list.push(record);
    }
    return found;
  }

  /**
   * The history as a devtools should replay it: an init record with the current
   * subscriptions and `stats`, the topology records, then the retained records in order.
   */
  snapshot(stats: InitRecord['stats'] | undefined): InspectionRecord[] {
    this.#index();
    const init = this.#init;
    const records = this.records.slice(-this.#maxAge);
    if (init === undefined) return records;
    const first: InitRecord = { ...init, subscriptions: [...this.#subscriptions.values()], stats: stats ?? init.stats };
    const retained = new Set(records);
    const sticky = [...this.#sticky.values()].filter((record) => !retained.has(record));
    return [first, ...sticky, ...records];
  }

  /** Reads the topology and subscriptions from the records added since the last call. */
  #index(): void {
    const records = this.records;
    for (; this.#indexed < records.length; this.#indexed++) {
      const record = records[this.#indexed]!;
      switch (record.type) {
        case 'published':
          this.#eventsAt = keep(this.#events, this.#eventsAt, record, this.#keep);
          break;
        case 'failed':
          this.#failuresAt = keep(this.#failures, this.#failuresAt, record, this.#keep);
          break;
        case 'subscribed':
          this.#subscriptions.set(record.subscription.id, record.subscription);
          break;
        case 'unsubscribed':
          this.#subscriptions.delete(record.subscriptionId);
          break;
        case 'leader':
          this.#sticky.set(`leader:${record.election}`, record);
          break;
        case 'peer':
          this.#sticky.set(`peer:${record.peer.id}`, record);
          break;
        case 'stored':
          this.#sticky.set(`stored:${record.store}`, record);
          break;
        case 'checkpoint':
          this.#sticky.set(`checkpoint:${record.projection}`, record);
          break;
      }
    }
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
