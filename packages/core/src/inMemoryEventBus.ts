import { nanoid } from 'nanoid';
import { systemClock, type Clock } from './clock.js';
import type { AnyEventType, EventOf } from './defineEvent.js';
import { EventwireError, serializeError } from './errors.js';
import type { AnyEvent } from './event.js';
import type {
  BackgroundPublish,
  EventBus,
  EventBusStats,
  EventHandler,
  HandlerFailure,
  PendingTask,
  Projection,
  PublishOptions,
  PublishResult,
  ShutdownResult,
  SubscribeOptions,
  SubscriptionTarget,
  Unsubscribe,
} from './eventBus.js';
import { isEventShape, toEventList } from './eventList.js';
import type { DispatchedRecord, DispatchFailure, FailedRecord, InspectionBudgetOptions, InspectionListener, InspectionRecord, InspectOptions, ReportedRecord, SubscriptionInfo, SubscriptionKind } from './inspection.js';
import { InspectionBudget, type BudgetedBus } from './inspectionBudget.js';
import { noFailures, PublishRun } from './publishRun.js';
import { compilePattern, kindOfKey } from './routing.js';
import { runtime } from './runtimeGlobals.js';
import { SubscriptionTable, type Route, type Subscription } from './subscriptionTable.js';

/** The fields of an inspection record of `type` that the bus does not fill in itself. */
type RecordFields<T extends InspectionRecord['type']> = Omit<Extract<InspectionRecord, { type: T }>, 'type' | 'busId' | 'time'>;

/** Options of {@link InMemoryEventBus}. */
export interface InMemoryEventBusOptions {
  /** The name the devtools show. */
  name?: string;
  /**
   * Called with every handler failure. By default failures are logged with `console.error`,
   * as the tutorial's bus logs them.
   */
  onHandlerError?: (failure: HandlerFailure) => void;
  /** Receives every handler failure too, to keep them for inspection or replay. */
  deadLetterSink?: (failure: HandlerFailure) => void;
  /**
   * The default of {@link PublishOptions.errors}.
   * @default 'isolate'
   */
  errors?: 'isolate' | 'throw';
  /** Where time is read; for tests. */
  clock?: Clock;
}

/** Options of `publish` on {@link InMemoryEventBus}. */
export interface InMemoryPublishOptions extends PublishOptions {
  /** Who published, for inspection: `local` unless a transport relays the events. */
  source?: string;
}

/**
 * The event bus for one JavaScript context, with the tutorial's API and guarantees: events of
 * one publish in order, the handlers of one event concurrently, every failure isolated,
 * counted and reported, background work tracked until `shutdown`.
 *
 * @example
 * ```ts
 * const bus = new InMemoryEventBus();
 * bus.subscribe(OrderPlaced, (event) => console.log(event.data.customerName));
 * bus.subscribeToAllEvents({ handle: (event) => audit.push(event.type) });
 * await bus.publish(OrderPlaced.create({ customerName: 'Alice', totalAmount: 99.99 }));
 * ```
 */
export class InMemoryEventBus implements EventBus {
  readonly id: string = nanoid(10);
  readonly name: string;
  readonly #table = new SubscriptionTable();
  readonly #options: InMemoryEventBusOptions;
  readonly #clock: Clock;
  readonly #background = new Map<Promise<void>, PendingTask>();
  readonly #counters = { handlerErrors: 0, backgroundTasksCreated: 0, backgroundTasksCompleted: 0 };
  /** The inspectors, each with how often it wants handlers timed; undefined while there is none. */
  #inspectors: readonly Inspector[] | undefined;
  /** Whether every inspector asked for one `dispatched` record per dispatch. */
  #summarize = false;
  /** Time one dispatch in this many: the most demanding inspector's `timeOneIn`. */
  #timeOneIn = 1;
  /** While every inspector has a budget: the largest one, and the counts of what it left uninspected. */
  #budget: InspectionBudget | undefined;
  /** Whether dispatches are inspected: there are inspectors, and their budget (if any) is not spent. */
  #inspectsDispatches = false;
  /** Dispatches until the next timed one. */
  #untilTimed = 0;
  /** The wall time read last in this task, for untimed records. */
  #wallTime: number | undefined;
  #subscriptionSeq = 0;
  #lastResultOfOne: PublishResult | undefined;

  constructor(options: InMemoryEventBusOptions = {}) {
    this.name = options.name ?? 'bus';
    this.#options = { ...options };
    this.#clock = options.clock ?? systemClock;
  }

  // ---------------------------------------------------------------- publishing

  /**
   * Dispatches events in order; the handlers of each event run concurrently. Resolves when all
   * have settled, with the failures listed, unless `background` is set.
   * @throws {EventwireError} `INVALID_EVENT` (as a rejection) when an item is not an event;
   *   nothing is dispatched then. `HANDLER_FAILED` in `errors: 'throw'` mode.
   */
  publish(events: AnyEvent | readonly AnyEvent[], options?: InMemoryPublishOptions & { background?: false }): Promise<PublishResult>;
  publish(events: AnyEvent | readonly AnyEvent[], options: InMemoryPublishOptions & { background: true }): Promise<BackgroundPublish>;
  publish(events: AnyEvent | readonly AnyEvent[], options?: InMemoryPublishOptions): Promise<PublishResult | BackgroundPublish>;
  publish(events: AnyEvent | readonly AnyEvent[], options?: InMemoryPublishOptions): Promise<PublishResult | BackgroundPublish> {
    if (options === undefined && isEventShape(events)) return this.#publishOne(events);
    let list: readonly AnyEvent[];
    try {
      list = toEventList(events);
    } catch (error) {
      return Promise.reject(error);
    }
    const background = options?.background === true;
    // A background publish has no caller left to fail: its failures are only reported.
    const throwOnFailure = !background && (options?.errors ?? this.#options.errors) === 'throw';
    const run = new PublishRun(list, throwOnFailure, background, options?.source ?? 'local');
    if (!background) return this.#continue(run);
    const done = Promise.resolve().then(() => this.#continue(run));
    this.#track(
      done,
      list.map((event) => event.id),
    );
    return Promise.resolve({ background: true, done });
  }

  /**
   * Dispatches events synchronously: sync handlers have run when it returns; promises that
   * async handlers return become tracked background work that `shutdown` waits for.
   * @throws {EventwireError} `INVALID_EVENT` when an item is not an event; nothing is dispatched then.
   */
  publishSync(events: AnyEvent | readonly AnyEvent[]): void {
    // One event is the hot path: its shape check comes first, before any test for an array.
    if (isEventShape(events)) {
      this.#deliver(events, undefined);
      return;
    }
    const list = toEventList(events);
    for (let i = 0; i < list.length; i++) this.#deliver(list[i]!, undefined);
  }

  /** `publish(event)` without options, the hot path: no event list is built. */
  #publishOne(event: AnyEvent): Promise<PublishResult> {
    const run = new PublishRun(noEvents, this.#options.errors === 'throw', false, 'local');
    run.index = 1;
    run.handlersInvoked = this.#deliver(event, run);
    if (run.pending !== undefined) return this.#continueAfterPending(run, event);
    if (run.failures === undefined) return Promise.resolve(this.#resultOfOne(run.handlersInvoked));
    return this.#continue(run, event);
  }

  /**
   * The frozen result of a one-event publish where nothing failed, shared with the publish
   * before it when that one reached as many handlers (the usual case: the same type again).
   * Kept on the bus: an awaited publish of sync handlers is as cheap as its bookkeeping.
   */
  #resultOfOne(handlersInvoked: number): PublishResult {
    const last = this.#lastResultOfOne;
    if (last !== undefined && last.handlersInvoked === handlersInvoked) return last;
    return (this.#lastResultOfOne = Object.freeze({ eventsPublished: 1, handlersInvoked, failures: noFailures }));
  }

  /**
   * Delivers the run's events from `run.index` on, waiting for async handlers between events;
   * first fails the run if the handlers of the event `delivered` just before have failed.
   */
  #continue(run: PublishRun, delivered?: AnyEvent): Promise<PublishResult> {
    try {
      if (delivered !== undefined) run.throwIfFailed(delivered);
      while (run.index < run.events.length) {
        const event = run.events[run.index++]!;
        run.handlersInvoked += this.#deliver(event, run);
        if (run.pending !== undefined) return this.#continueAfterPending(run, event);
        run.throwIfFailed(event);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve(run.result());
  }

  // Apart from #continue, whose loop would otherwise allocate this closure's context per call.
  #continueAfterPending(run: PublishRun, event: AnyEvent): Promise<PublishResult> {
    const pending = run.pending!;
    run.pending = undefined;
    return Promise.all(pending).then(() => this.#continue(run, event));
  }

  /**
   * Calls every handler of `event`; returns how many. The promises of async handlers go to the
   * run, or become tracked background work when there is no run (`publishSync`).
   */
  #deliver(event: AnyEvent, run: PublishRun | undefined): number {
    const route = this.#table.route(event);
    const invokers = route.invokers;
    const count = invokers.length;
    route.published++;
    if (this.#inspectsDispatches) {
      const delivered = this.#summarize ? this.#deliverSummarized(event, route, run) : this.#deliverInspected(event, route, run);
      // The period's last inspected dispatch: the next ones take the plain path below, counted later from `published`.
      if (this.#budget?.spend() === true) this.#inspectsDispatches = false;
      return delivered;
    }
    for (let i = 0; i < count; i++) {
      try {
        const result = invokers[i]!(event);
        if (result !== undefined && isThenable(result)) this.#follow(result, event, route.subscriptions[i]!, run);
      } catch (error) {
        this.#failUninspected(event, route.subscriptions[i]!, error, run);
      }
    }
    return count;
  }

  /**
   * The same delivery, with its inspection records. A timed dispatch reads the clock once
   * between two sync handlers and sends the records of sync handlers after the loop, so that
   * the listeners' own work is never counted as a handler's time; an untimed one (see
   * `timeOneIn`) never reads the clock and sends each record as its handler returns. Sync
   * handlers cost no closure: only the promise of an async handler needs callbacks that
   * remember it.
   */
  #deliverInspected(event: AnyEvent, route: Route, run: PublishRun | undefined): number {
    const timed = --this.#untilTimed <= 0;
    if (timed) this.#untilTimed = this.#timeOneIn;
    const clock = this.#clock;
    const time = this.#recordTime(timed); // one timestamp for the records of this dispatch
    this.#send({ type: 'published', busId: this.id, time, event, background: run?.background ?? false, source: run?.source ?? 'local' });
    const count = route.invokers.length;
    const held: InspectionRecord[] | undefined = timed ? [] : undefined;
    let started = timed ? clock.now() : 0;
    for (let i = 0; i < count; i++) {
      const subscription = route.subscriptions[i]!;
      let result: unknown;
      let record: InspectionRecord | undefined;
      try {
        result = route.invokers[i]!(event);
      } catch (error) {
        record = this.#deliveryRecord(event, subscription, timed ? clock.now() - started : undefined, error, true, time);
        this.#fail(event, subscription, error, run);
      }
      const ended = timed ? clock.now() : 0; // after a failure, onHandlerError is the user's code: not the next handler's time
      if (record === undefined) {
        if (isThenable(result)) this.#followInspected(result, event, subscription, run, timed ? started : undefined);
        else record = this.#deliveryRecord(event, subscription, timed ? ended - started : undefined, undefined, false, time);
      }
      if (record !== undefined) {
        if (held === undefined) this.#send(record);
        else held.push(record);
      }
      started = ended;
    }
    for (let i = 0; held !== undefined && i < held.length; i++) this.#send(held[i]!);
    return count;
  }

  /**
   * The delivery of {@link #deliverInspected} for inspectors that asked for summaries: one
   * `dispatched` record after the handlers, whatever their number; only failures, pending
   * promises and (on a timed dispatch) durations are listed.
   */
  #deliverSummarized(event: AnyEvent, route: Route, run: PublishRun | undefined): number {
    // The first dispatch of a task of the event loop is timed too (no wall time read in it yet):
    // a click's events are timed; in a burst, one dispatch in timeOneIn.
    const timed = --this.#untilTimed <= 0 || this.#wallTime === undefined;
    if (timed) this.#untilTimed = this.#timeOneIn;
    const clock = this.#clock;
    const time = this.#recordTime(timed);
    const { subscriptions, invokers } = route;
    const count = invokers.length;
    const durations: number[] | undefined = timed ? [] : undefined;
    let failures: DispatchFailure[] | undefined;
    let pending: number[] | undefined;
    let started = timed ? clock.now() : 0;
    for (let i = 0; i < count; i++) {
      let result: unknown;
      let threw = false;
      try {
        result = invokers[i]!(event);
      } catch (error) {
        threw = true;
        result = error;
      }
      const ended = timed ? clock.now() : 0;
      if (durations !== undefined) durations.push(ended - started);
      if (threw) {
        (failures ??= []).push({ index: i, error: serializeError(result) });
        this.#fail(event, subscriptions[i]!, result, run);
      } else if (result !== undefined && isThenable(result)) {
        (pending ??= []).push(i);
        this.#followInspected(result, event, subscriptions[i]!, run, timed ? started : undefined);
      }
      // onHandlerError is the user's code: not the next handler's time.
      started = timed && threw ? clock.now() : ended;
    }
    const record: DispatchedRecord = {
      type: 'dispatched',
      busId: this.id,
      time,
      event,
      background: run?.background ?? false,
      source: run?.source ?? 'local',
      subscriptionIds: route.subscriptionIds,
      failures,
      pending,
      durationsMs: durations,
    };
    this.#send(record);
    return count;
  }

  #followInspected(result: PromiseLike<unknown>, event: AnyEvent, subscription: Subscription, run: PublishRun | undefined, started: number | undefined): void {
    this.#follow(
      result,
      event,
      subscription,
      run,
      () => this.#settleInspected(event, subscription, run, started, undefined, false),
      (error: unknown) => this.#settleInspected(event, subscription, run, started, error, true),
    );
  }

  /** Records how an async handler's promise settled: timed from `started` when the dispatch was timed. */
  #settleInspected(event: AnyEvent, subscription: Subscription, run: PublishRun | undefined, started: number | undefined, error: unknown, failed: boolean): void {
    const timed = started !== undefined;
    const record = this.#deliveryRecord(event, subscription, timed ? this.#clock.now() - started : undefined, error, failed, this.#recordTime(timed));
    if (failed) this.#fail(event, subscription, error, run);
    this.#send(record);
  }

  /** A `delivered` or `failed` record; its fields always in the same order, so that every record shares one shape. */
  #deliveryRecord(event: AnyEvent, subscription: Subscription, durationMs: number | undefined, error: unknown, failed: boolean, time: number): InspectionRecord {
    const record: { -readonly [K in keyof FailedRecord]?: K extends 'type' ? 'delivered' | 'failed' : FailedRecord[K] } = { type: failed ? 'failed' : 'delivered', busId: this.id, time, eventId: event.id, subscriptionId: subscription.id };
    if (durationMs !== undefined) record.durationMs = durationMs;
    if (failed) record.error = serializeError(error);
    return record as InspectionRecord;
  }

  /**
   * The wall time of a record. A timed dispatch reads the clock; an untimed one reuses the
   * time read last in this task of the event loop (a timer forgets it), so a burst of untimed
   * dispatches costs no clock read.
   */
  #recordTime(read: boolean): number {
    if (this.#timeOneIn === 1) return this.#clock.wallTime();
    if (this.#wallTime === undefined) runtime.setTimeout(() => (this.#wallTime = undefined), 0);
    else if (!read) return this.#wallTime;
    return (this.#wallTime = this.#clock.wallTime());
  }

  /**
   * Follows the promise an async handler returned: the run waits for it, or without a run it
   * becomes tracked background work. A method of its own, so that the delivery loops allocate
   * no closure context for the sync handlers.
   */
  #follow(
    result: PromiseLike<unknown>,
    event: AnyEvent,
    subscription: Subscription,
    run: PublishRun | undefined,
    onFulfilled: () => void = noop,
    onRejected = (error: unknown): void => this.#failUninspected(event, subscription, error, run),
  ): void {
    const settled = Promise.resolve(result).then(onFulfilled, onRejected);
    if (run === undefined) this.#track(settled, [event.id]);
    else (run.pending ??= []).push(settled);
  }

  #track(work: Promise<unknown>, eventIds: readonly string[]): void {
    const taskId = ++this.#counters.backgroundTasksCreated;
    const settled: Promise<void> = work.then(noop, noop).then(() => {
      this.#background.delete(settled);
      this.#counters.backgroundTasksCompleted++;
      this.#emitBackground('settled', taskId);
    });
    this.#background.set(settled, { taskId, eventIds, startedAt: this.#clock.wallTime() });
    this.#emitBackground('started', taskId);
  }

  /** A failure of a delivery that was not inspected: counted for the inspection budget's `unrecorded` record too. */
  #failUninspected(event: AnyEvent, subscription: Subscription, error: unknown, run: PublishRun | undefined): void {
    this.#budget?.fail(subscription.id);
    this.#fail(event, subscription, error, run);
  }

  #fail(event: AnyEvent, subscription: Subscription, error: unknown, run: PublishRun | undefined): void {
    this.#counters.handlerErrors++;
    const failure: HandlerFailure = { event, subscriptionId: subscription.id, handlerName: subscription.handlerName, error };
    if (run !== undefined) (run.failures ??= []).push(failure);
    callSafely(this.#options.onHandlerError ?? logFailure, failure);
    if (this.#options.deadLetterSink !== undefined) callSafely(this.#options.deadLetterSink, failure);
  }

  // ---------------------------------------------------------------- subscribing

  /**
   * Subscribes a handler to an event type, a type name, or a routing-key pattern
   * (`Order.*`, `*.OrderPlaced`, `Order.>`). `*` alone subscribes to every event.
   * @returns a function that removes this subscription
   */
  subscribe<T extends AnyEventType>(eventType: T, handler: EventHandler<EventOf<T>>, options?: SubscribeOptions): Unsubscribe;
  subscribe(typeOrPattern: string, handler: EventHandler, options?: SubscribeOptions): Unsubscribe;
  subscribe(target: SubscriptionTarget, handler: EventHandler<never>, options: SubscribeOptions = {}): Unsubscribe {
    const [kind, key] = locate(target);
    const invoke = invokerOf(handler);
    const seq = ++this.#subscriptionSeq;
    const subscription: Subscription = {
      id: `${this.id}:${seq}`,
      seq,
      kind,
      key,
      handler,
      handlerName: options.name ?? nameOf(handler),
      invoke,
      matches: kind === 'pattern' ? compilePattern(key) : undefined,
    };
    this.#endSpentBudget();
    this.#table.add(subscription);
    this.#emit('subscribed', { subscription: infoOf(subscription) });
    return () => void this.#remove(subscription);
  }

  /** Removes one subscription of `handler` to `target`; `true` if there was one. */
  unsubscribe(target: SubscriptionTarget, handler: EventHandler<never>): boolean {
    return this.#remove(this.#table.list(locate(target)[1]).find((subscription) => subscription.handler === handler));
  }

  /** Subscribes a projection to each type of its `subscribedTo` (a method or an array). */
  subscribeAll(projection: Projection, options: SubscribeOptions = {}): Unsubscribe {
    const declared = projection.subscribedTo;
    const types = typeof declared === 'function' ? declared.call(projection) : declared;
    if (!Array.isArray(types)) {
      throw new EventwireError('INVALID_ARGUMENT', 'subscribeAll: projection.subscribedTo must be an array of event types or return one');
    }
    const name = options.name ?? nameOf(projection);
    const unsubscribes = types.map((type: AnyEventType) => this.subscribe(type.type, projection, { name }));
    return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
  }

  /** Subscribes a handler to every event (audit logs, metrics, tracing). */
  subscribeToAllEvents(handler: EventHandler, options?: SubscribeOptions): Unsubscribe {
    return this.subscribe('*', handler, options);
  }

  /** Removes one wildcard subscription of `handler`; `true` if there was one. */
  unsubscribeFromAllEvents(handler: EventHandler<never>): boolean {
    return this.unsubscribe('*', handler);
  }

  /** Removes every subscription. */
  clearSubscribers(): void {
    this.#endSpentBudget();
    for (const subscription of this.#table.clear()) this.#emitUnsubscribed(subscription);
  }

  #remove(subscription: Subscription | undefined): boolean {
    if (subscription === undefined) return false;
    this.#endSpentBudget();
    if (!this.#table.remove(subscription)) return false;
    this.#emitUnsubscribed(subscription);
    return true;
  }

  // ---------------------------------------------------------------- stats and lifecycle

  /** The counters of the tutorial. */
  getStats(): EventBusStats {
    return { ...this.#table.totals(), ...this.#counters };
  }

  /** Subscriptions to exactly this type name or pattern (wildcards are counted apart). */
  getSubscriberCount(target: SubscriptionTarget): number {
    return this.#table.list(locate(target)[1]).length;
  }

  /** Subscriptions to every event. */
  getWildcardSubscriberCount(): number {
    return this.getSubscriberCount('*');
  }
  /** Background work still running. */
  getBackgroundTaskCount(): number {
    return this.#background.size;
  }

  /** Every subscription, in the order they were made. */
  getSubscriptions(): SubscriptionInfo[] {
    return this.#table.all().map(infoOf);
  }

  /**
   * Waits for background work (background publishes, promises of async handlers called by
   * `publishSync`) for up to `timeoutMs`, then reports what was still running. The bus stays
   * usable.
   */
  async shutdown({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<ShutdownResult> {
    const deadline = this.#clock.now() + timeoutMs;
    // Loop: background work may start more background work while we wait.
    while (this.#background.size > 0) {
      const remaining = deadline - this.#clock.now();
      const settled = remaining > 0 && (await settlesWithin(Promise.all(this.#background.keys()), remaining));
      if (!settled) return { completed: false, pendingTasks: [...this.#background.values()] };
    }
    return { completed: true, pendingTasks: [] };
  }

  // ---------------------------------------------------------------- inspection

  /**
   * Streams inspection records to `listener`, starting with an `init` record that describes
   * the bus as it is now. Costs nothing while no inspector is attached. With `timeOneIn`, only
   * one dispatch in that many has its handlers timed, which keeps an always-on inspector cheap;
   * with `summarize` (while every inspector asks for it), one `dispatched` record stands for the
   * `published` record and the records of the handlers that returned without a promise; with a
   * `budget` (while every inspector has one), a burst costs what it costs with no inspector once
   * the period's budget is spent, and its uninspected dispatches are counted in one `unrecorded` record.
   * @returns a function that detaches the listener
   * @example
   * ```ts
   * const stop = bus.inspect((record) => devtools.send(record), { timeOneIn: 16 });
   * ```
   */
  inspect(listener: InspectionListener, options: InspectOptions = {}): Unsubscribe {
    const timeOneIn = Math.max(1, Math.floor(options.timeOneIn ?? 1));
    const inspector: Inspector = { listener, timeOneIn, summarize: options.summarize === true, budget: budgetOf(options.budget) };
    this.#setInspectors([...(this.#inspectors ?? []), inspector]);
    callSafely(listener, {
      type: 'init',
      busId: this.id,
      time: this.#clock.wallTime(),
      busName: this.name,
      subscriptions: this.getSubscriptions(),
      stats: this.getStats(),
    });
    return () => this.#setInspectors(this.#inspectors?.filter((candidate) => candidate !== inspector) ?? []);
  }

  /** Replaces the list (never changed in place: a record being sent keeps the list it started with). */
  #setInspectors(inspectors: readonly Inspector[]): void {
    this.#budget?.end(); // what the last budget counted goes to the inspectors it was counted for
    this.#inspectors = inspectors.length > 0 ? inspectors : undefined;
    this.#inspectsDispatches = inspectors.length > 0;
    this.#timeOneIn = Math.min(...inspectors.map((inspector) => inspector.timeOneIn));
    this.#summarize = inspectors.every((inspector) => inspector.summarize);
    const budget = largestBudget(inspectors);
    this.#budget = budget === undefined ? undefined : new InspectionBudget(budget, this.#budgeted);
  }

  /** Routes are replaced when subscriptions change: what they counted uninspected is sent first. */
  #endSpentBudget(): void {
    if (this.#budget?.spent === true) this.#budget.end();
  }

  /** What the inspection budget reads and tells. */
  readonly #budgeted: BudgetedBus = {
    routes: () => this.#table.routes(),
    wallTime: () => this.#clock.wallTime(),
    periodEnded: (counts) => {
      this.#inspectsDispatches = this.#inspectors !== undefined;
      if (counts !== undefined) this.#emit('unrecorded', counts);
    },
  };

  /** Adds a record from a store, transport or runner to this bus's inspection stream. */
  report(record: ReportedRecord): void {
    if (this.#inspectors === undefined) return; // nothing is built while nobody inspects
    if (this.#budget?.absorbs(record) === true) return; // a dead letter of a burst: counted
    const { type, ...fields } = record;
    this.#emit(type, fields as RecordFields<typeof type>);
  }

  /** Sends a record to the inspectors, if any: nothing is built while none is attached. */
  #emit<T extends InspectionRecord['type']>(type: T, fields: RecordFields<T>): void {
    if (this.#inspectors === undefined) return;
    // TypeScript cannot follow `type` into the union member; RecordFields<T> pairs them.
    this.#send({ type, busId: this.id, time: this.#clock.wallTime(), ...fields } as unknown as InspectionRecord);
  }

  #send(record: InspectionRecord): void {
    if (this.#inspectors === undefined) return;
    const inspectors = this.#inspectors;
    for (let i = 0; i < inspectors.length; i++) callSafely(inspectors[i]!.listener, record);
  }

  #emitBackground(phase: 'started' | 'settled', taskId: number): void {
    if (this.#inspectors !== undefined) this.#emit('background', { phase, taskId, pending: this.#background.size });
  }

  #emitUnsubscribed(subscription: Subscription): void {
    this.#emit('unsubscribed', { subscriptionId: subscription.id });
  }
}

function noop(): void {}

/** An attached inspection listener, how often it wants handlers timed, and whether it wants summaries. */
interface Inspector {
  readonly listener: InspectionListener;
  readonly timeOneIn: number;
  readonly summarize: boolean;
  readonly budget: InspectionBudgetOptions | undefined;
}

/** The largest budget of the inspectors, while every one has a budget. */
function largestBudget(inspectors: readonly Inspector[]): InspectionBudgetOptions | undefined {
  let largest: InspectionBudgetOptions | undefined;
  for (const { budget } of inspectors) {
    if (budget === undefined) return undefined;
    if (largest === undefined || budget.dispatches > largest.dispatches) largest = budget;
  }
  return largest;
}

/** A budget as asked, checked: whole dispatches, a period of at least 1 ms; none when not asked for. */
function budgetOf(budget: InspectionBudgetOptions | undefined): InspectionBudgetOptions | undefined {
  if (budget === undefined) return undefined;
  const dispatches = Math.floor(budget.dispatches);
  if (!(dispatches >= 1) || !(budget.periodMs > 0)) throw new EventwireError('INVALID_ARGUMENT', `inspect: budget needs dispatches >= 1 and periodMs > 0 (got ${String(budget.dispatches)}, ${String(budget.periodMs)})`);
  return dispatches === Infinity ? undefined : { dispatches, periodMs: budget.periodMs };
}

const noEvents: readonly AnyEvent[] = Object.freeze([]);

/** Whether a handler returned a promise (or any thenable) rather than a plain value. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';
}

function callSafely<T>(fn: (value: T) => void, value: T): void {
  try {
    fn(value);
  } catch (error) {
    // A broken listener must not stop the bus; surface it where a developer will look.
    runtime.console.error('[eventwire] a listener threw', error);
  }
}

function logFailure(failure: HandlerFailure): void {
  runtime.console.error(`[eventwire] handler "${failure.handlerName}" failed on ${failure.event.type} ${failure.event.id}`, failure.error);
}

/** The kind and key of a subscription target; every wildcard (`*`, `>`) has the key `*`. */
function locate(target: SubscriptionTarget): [SubscriptionKind, string] {
  const key = typeof target === 'string' ? target : (target as { type?: unknown } | null)?.type;
  if (typeof key !== 'string' || key === '') {
    throw new EventwireError('INVALID_ARGUMENT', 'Expected an event type, a type name or a pattern such as "Order.*"');
  }
  const kind = kindOfKey(key);
  return [kind, kind === 'wildcard' ? '*' : key];
}

function invokerOf(handler: EventHandler<never>): (event: AnyEvent) => unknown {
  if (typeof handler === 'function') return handler as (event: AnyEvent) => unknown;
  if (typeof handler === 'object' && handler !== null && typeof handler.handle === 'function') {
    const target = handler as { handle(event: AnyEvent): unknown };
    return (event) => target.handle(event);
  }
  throw new EventwireError('INVALID_ARGUMENT', 'A handler must be a function or an object with a handle(event) method');
}

function nameOf(handler: object): string {
  if (typeof handler === 'function') return handler.name || 'anonymous';
  const ctor = (handler as { constructor?: { name?: string } }).constructor;
  if (ctor !== undefined && ctor !== Object && ctor.name) return ctor.name;
  return 'handler';
}

function infoOf(subscription: Subscription): SubscriptionInfo {
  return { id: subscription.id, kind: subscription.kind, key: subscription.key, handlerName: subscription.handlerName };
}

async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: unknown;
  const timeout = new Promise<false>((resolve) => (timer = runtime.setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    runtime.clearTimeout(timer);
  }
}
