import type { DispatchFailure, DispatchedRecord, InspectionRecord, UnrecordedRecord } from '@eventwire/core';

/**
 * What one subscription's handler did since the bridge started:
 * `[delivered, failed, timed, total µs of the timed deliveries, longest timed µs]`.
 */
export type SubscriptionTotals = [delivered: number, failed: number, timed: number, totalMicros: number, maxMicros: number];

/**
 * Counts deliveries per subscription from inspection records, so that the devtools show exact
 * counts even for the events the live stream did not carry (a burst sends its newest events).
 * A summarized dispatch counts each of its handlers; a pending handler is counted when its
 * `delivered` or `failed` record comes.
 *
 * @example
 * ```ts
 * const totals = new DeliveryTotals();
 * bus.inspect((record) => totals.count(record), { summarize: true });
 * totals.toJSON(); // { 'bus:1': [12, 1, 2, 310, 250] }
 * ```
 */
export class DeliveryTotals {
  readonly #bySubscription = new Map<string, SubscriptionTotals>();
  /** The totals of a route's subscriptions, in its order: the same few routes come back with every event. */
  readonly #byRoute = new WeakMap<readonly string[], SubscriptionTotals[]>();
  #lastRoute: readonly string[] | undefined;
  #lastTotals: SubscriptionTotals[] = [];

  /** Counts what a record says of deliveries; other records count nothing. */
  count(record: InspectionRecord): void {
    if (record.type === 'dispatched') this.#dispatched(record);
    else if (record.type === 'unrecorded') this.#unrecorded(record);
    else if (record.type === 'delivered' || record.type === 'failed') {
      const totals = this.#of(record.subscriptionId);
      totals[record.type === 'failed' ? 1 : 0]++;
      if (record.durationMs !== undefined) time(totals, record.durationMs);
    }
  }

  /** Every subscription's totals, by subscription id. */
  toJSON(): Record<string, SubscriptionTotals> {
    return Object.fromEntries(this.#bySubscription);
  }

  #dispatched(record: DispatchedRecord): void {
    const { subscriptionIds: ids, failures, pending, durationsMs } = record;
    const route = this.#route(ids);
    for (let i = 0; i < route.length; i++) {
      if (pending !== undefined && has(pending, i)) continue; // counted when it settles
      const totals = route[i]!;
      if (failures !== undefined && failedAt(failures, i)) totals[1]++;
      else totals[0]++;
      if (durationsMs !== undefined) time(totals, durationsMs[i]!);
    }
  }

  /** Calls a budget left uninspected: delivered unless failed, never timed. */
  #unrecorded(record: UnrecordedRecord): void {
    for (const [subscriptionId, [calls, failed]] of Object.entries(record.deliveries)) {
      const totals = this.#of(subscriptionId);
      totals[0] += calls - failed;
      totals[1] += failed;
    }
  }

  #route(ids: readonly string[]): SubscriptionTotals[] {
    if (ids === this.#lastRoute) return this.#lastTotals;
    let route = this.#byRoute.get(ids);
    if (route === undefined) this.#byRoute.set(ids, (route = ids.map((id) => this.#of(id))));
    this.#lastRoute = ids;
    return (this.#lastTotals = route);
  }

  #of(subscriptionId: string): SubscriptionTotals {
    let totals = this.#bySubscription.get(subscriptionId);
    if (totals === undefined) this.#bySubscription.set(subscriptionId, (totals = [0, 0, 0, 0, 0]));
    return totals;
  }
}

// Plain loops: no closure per handler on the bus's hot path.
function has(places: readonly number[], place: number): boolean {
  for (let i = 0; i < places.length; i++) if (places[i] === place) return true;
  return false;
}

function failedAt(failures: readonly DispatchFailure[], place: number): boolean {
  for (let i = 0; i < failures.length; i++) if (failures[i]!.index === place) return true;
  return false;
}

function time(totals: SubscriptionTotals, durationMs: number): void {
  const micros = Math.round(durationMs * 1000);
  totals[2]++;
  totals[3] += micros;
  if (micros > totals[4]) totals[4] = micros;
}
