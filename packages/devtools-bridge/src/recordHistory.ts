import type { InitRecord, InspectionRecord, PublishedRecord, SubscriptionInfo } from '@eventwire/core';

/**
 * What a bridge keeps for devtools that connect late: the last `maxAge` records, plus the
 * latest state record of each topology item (leader, peer, store, projection), which stays
 * even when the history rolls over, and the current subscriptions.
 */
export class RecordHistory {
  readonly #maxAge: number;
  #records: InspectionRecord[] = [];
  readonly #sticky = new Map<string, InspectionRecord>();
  readonly #subscriptions = new Map<string, SubscriptionInfo>();
  #init: InitRecord | undefined;
  #dropped = 0;

  constructor(maxAge: number) {
    this.#maxAge = Math.max(1, maxAge);
  }

  get dropped(): number {
    return this.#dropped;
  }

  countDropped(count = 1): void {
    this.#dropped += count;
  }

  add(record: InspectionRecord): void {
    switch (record.type) {
      case 'init':
        this.#init = record;
        for (const subscription of record.subscriptions) this.#subscriptions.set(subscription.id, subscription);
        return;
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
    this.#records.push(record);
    // Trim in chunks so a full history costs one splice per maxAge/4 records, not one per record.
    if (this.#records.length > this.#maxAge + (this.#maxAge >> 2)) {
      const excess = this.#records.length - this.#maxAge;
      this.#records.splice(0, excess);
      this.#dropped += excess;
    }
  }

  /** A published event still in the history. */
  findEvent(eventId: string): PublishedRecord | undefined {
    for (let i = this.#records.length - 1; i >= 0; i--) {
      const record = this.#records[i]!;
      if (record.type === 'published' && record.event.id === eventId) return record;
    }
    return undefined;
  }

  /**
   * The history as a devtools should replay it: an init record with the current
   * subscriptions and `stats`, the topology records, then the retained records in order.
   */
  snapshot(stats: InitRecord['stats'] | undefined): InspectionRecord[] {
    const init = this.#init;
    if (init === undefined) return [...this.#records];
    const first: InitRecord = { ...init, subscriptions: [...this.#subscriptions.values()], stats: stats ?? init.stats };
    const retained = new Set(this.#records);
    const sticky = [...this.#sticky.values()].filter((record) => !retained.has(record));
    return [first, ...sticky, ...this.#records.slice(-this.#maxAge)];
  }
}
