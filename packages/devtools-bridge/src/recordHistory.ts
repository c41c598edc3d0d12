import type { InitRecord, InspectionRecord, SubscriptionInfo } from '@eventwire/core';

/**
 * What a bridge keeps besides its ring of records (see `RecordRing`): the latest state record
 * of each topology item (leader, peer, store, projection), which stays when the ring rolls
 * over, and the current subscriptions. The events and failures the devtools fetch on demand
 * are the ones of the records in the ring (see `keptEvents`).
 */
export class RecordHistory {
  /** Sticky records, with their number in the bridge's ring. */
  readonly #sticky = new Map<string, { readonly record: InspectionRecord; readonly number: number }>();
  readonly #subscriptions = new Map<string, SubscriptionInfo>();
  #init: InitRecord | undefined;
  #dropped = 0;

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
   * Notes what a record changes (topology, subscriptions): one switch, nothing kept for the
   * records about single events. `number` is the record's number in the bridge's ring.
   */
  add(record: InspectionRecord, number: number): void {
    switch (record.type) {
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

  #stick(key: string, record: InspectionRecord, number: number): void {
    this.#sticky.set(key, { record, number });
  }
}
