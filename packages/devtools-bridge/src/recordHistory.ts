import type { InitRecord, InspectionRecord, PublishedRecord, SubscriptionInfo } from '@eventwire/core';

/**
 * What a bridge keeps for devtools that connect late: the last `maxAge` records, plus the
 * latest state record of each topology item (leader, peer, store, projection), which stays
 * even when the history rolls over, and the current subscriptions.
 *
 * Adding a record is one push: the topology and subscriptions are read from the new records
 * later, in bulk, when the history is trimmed or a snapshot is taken. The history is also the
 * bridge's send buffer: the records from `sent` on have not been sent yet.
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

  constructor(maxAge: number) {
    this.#maxAge = Math.max(1, maxAge);
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

  /** A published event still in the history. */
  findEvent(eventId: string): PublishedRecord | undefined {
    for (let i = this.records.length - 1; i >= 0; i--) {
      const record = this.records[i]!;
      if (record.type === 'published' && record.event.id === eventId) return record;
    }
    return undefined;
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
