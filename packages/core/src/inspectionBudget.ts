import type { DeadLetteredRecord, InspectionBudgetOptions, UnrecordedRecord } from './inspection.js';
import { runtime } from './runtimeGlobals.js';
import type { Route } from './subscriptionTable.js';

/** What an {@link UnrecordedRecord} says, before the bus adds `busId` and `time`. */
export type UnrecordedCounts = Omit<UnrecordedRecord, 'type' | 'busId' | 'time'>;

/** What a budget needs from its bus. */
export interface BudgetedBus {
  /** Every route in use: the uninspected dispatches are counted from their `published` counts. */
  routes(): readonly Route[];
  wallTime(): number;
  /** The period ended: inspect dispatches again, and send the counts of the ones that were not, if any. */
  periodEnded(counts: UnrecordedCounts | undefined): void;
}

/**
 * An inspection budget: how many dispatches the bus may still inspect in the current period.
 * Once it is spent, the bus stops inspecting dispatches until the period ends, so that the rest
 * of a burst costs nothing more than with no inspector attached: its dispatches are counted
 * afterwards, per route, from the counts the bus keeps anyway. Failed calls of uninspected
 * handlers and dead letters reported meanwhile are counted as they come.
 *
 * @example
 * ```ts
 * const budget = new InspectionBudget({ dispatches: 1000, periodMs: 100 }, bus);
 * if (budget.spend()) inspecting = false; // that was the period's last inspected dispatch
 * ```
 * @internal
 */
export class InspectionBudget {
  readonly dispatches: number;
  readonly periodMs: number;
  readonly #bus: BudgetedBus;
  #left: number;
  #timer: unknown;
  #spent = false;
  #since = 0;
  #failures = new Map<string, number>();
  #deadLetters = 0;

  constructor(options: InspectionBudgetOptions, bus: BudgetedBus) {
    this.dispatches = options.dispatches;
    this.periodMs = options.periodMs;
    this.#left = options.dispatches;
    this.#bus = bus;
  }

  /** Spends one inspected dispatch; true when it was the period's last. */
  spend(): boolean {
    this.#startPeriod();
    if (--this.#left > 0) return false;
    this.#spent = true;
    this.#since = this.#bus.wallTime();
    for (const route of this.#bus.routes()) route.inspectedUpTo = route.published;
    return true;
  }

  /** Whether the period's budget is spent: dispatches run uninspected until it ends. */
  get spent(): boolean {
    return this.#spent;
  }

  /** Counts a failed call of a handler of an uninspected dispatch. */
  fail(subscriptionId: string): void {
    this.#failures.set(subscriptionId, (this.#failures.get(subscriptionId) ?? 0) + 1);
    this.#startPeriod(); // a rejection after its period: counted in the next
  }

  /** Whether a reported record is counted rather than sent: a dead letter while the budget is spent. */
  absorbs(record: { readonly type: string }): record is DeadLetteredRecord {
    if (!this.#spent || record.type !== 'dead-lettered') return false;
    this.#deadLetters++;
    return true;
  }

  /** Ends the period now: the budget is whole again, and the bus gets the counts if there are any. */
  end(): void {
    if (this.#timer !== undefined) runtime.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#left = this.dispatches;
    const counts = this.#spent || this.#failures.size > 0 ? this.#take() : undefined;
    this.#spent = false;
    this.#bus.periodEnded(counts);
  }

  readonly #end = (): void => this.end();

  /** Starts a period unless one is running: it ends `periodMs` from now. */
  #startPeriod(): void {
    this.#timer ??= runtime.setTimeout(this.#end, this.periodMs);
  }

  #take(): UnrecordedCounts {
    const deliveries: Record<string, [calls: number, failed: number]> = {};
    let events = 0;
    if (this.#spent) {
      for (const route of this.#bus.routes()) {
        const uninspected = route.published - route.inspectedUpTo;
        if (uninspected === 0) continue;
        events += uninspected;
        for (const id of route.subscriptionIds) (deliveries[id] ??= [0, 0])[0] += uninspected;
      }
    }
    for (const [id, failed] of this.#failures) (deliveries[id] ??= [0, 0])[1] += failed;
    const counts: UnrecordedCounts = { since: this.#spent ? this.#since : this.#bus.wallTime(), events, deliveries, deadLetters: this.#deadLetters };
    this.#failures = new Map();
    this.#deadLetters = 0;
    return counts;
  }
}
