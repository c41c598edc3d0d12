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
import { isEventShape, notAnEvent, toEventList } from './eventList.js';
import type { InspectionListener, InspectionRecord, ReportedRecord, SubscriptionInfo } from './inspection.js';
import { PublishRun } from './publishRun.js';
import { compilePattern, isPattern, isWildcardKey } from './routing.js';
import { runtime } from './runtimeGlobals.js';
import { SubscriptionTable, type Route, type Subscription } from './subscriptionTable.js';

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
  readonly #clock: Clock;
  readonly #onHandlerError: (failure: HandlerFailure) => void;
  readonly #deadLetterSink: ((failure: HandlerFailure) => void) | undefined;
  readonly #defaultErrors: 'isolate' | 'throw';
  readonly #background = new Map<Promise<void>, PendingTask>();
  #inspectors: Set<InspectionListener> | undefined;
  #subscriptionSeq = 0;
  #taskSeq = 0;
  #handlerErrors = 0;
  #backgroundTasksCreated = 0;
  #backgroundTasksCompleted = 0;

  constructor(options: InMemoryEventBusOptions = {}) {
    this.name = options.name ?? 'bus';
    this.#clock = options.clock ?? systemClock;
    this.#onHandlerError = options.onHandlerError ?? logFailure;
    this.#deadLetterSink = options.deadLetterSink;
    this.#defaultErrors = options.errors ?? 'isolate';
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
    if (options === undefined && !Array.isArray(events)) return this.#publishOne(events as AnyEvent);
    let list: readonly AnyEvent[];
    try {
      list = toEventList(events);
    } catch (error) {
      return Promise.reject(error);
    }
    const source = options?.source ?? 'local';
    if (options?.background === true) return Promise.resolve(this.#publishInBackground(list, source));
    const throwOnFailure = (options?.errors ?? this.#defaultErrors) === 'throw';
    return this.#continue(new PublishRun(list, throwOnFailure, false, source));
  }

  /**
   * Dispatches events synchronously: sync handlers have run when it returns; promises that
   * async handlers return become tracked background work that `shutdown` waits for.
   * @throws {EventwireError} `INVALID_EVENT` when an item is not an event; nothing is dispatched then.
   */
  publishSync(events: AnyEvent | readonly AnyEvent[]): void {
    if (!Array.isArray(events)) {
      if (!isEventShape(events)) throw notAnEvent(0);
      this.#deliverSync(events);
      return;
    }
    const list = toEventList(events);
    for (let i = 0; i < list.length; i++) this.#deliverSync(list[i]!);
  }

  #deliverSync(event: AnyEvent): void {
    const route = this.#table.route(event);
    const invokers = route.invokers;
    const count = invokers.length;
    route.published++;
    if (this.#inspectors !== undefined) {
      this.#deliverInspected(event, route, undefined, false, 'local');
      return;
    }
    for (let i = 0; i < count; i++) {
      try {
        const result = invokers[i]!(event);
        if (result !== undefined && isThenable(result)) this.#trackHandlerPromise(result, event, route.subscriptions[i]!);
      } catch (error) {
        this.#fail(event, route.subscriptions[i]!, error, undefined);
      }
    }
  }

  /** The common case, one event and no options, without a list or a result allocated. */
  #publishOne(event: AnyEvent): Promise<PublishResult> {
    if (!isEventShape(event)) return Promise.reject(notAnEvent(0));
    const run = new PublishRun(noEvents, this.#defaultErrors === 'throw', false, 'local');
    run.index = 1;
    const pending = this.#deliver(event, run);
    if (pending !== undefined) {
      return Promise.all(pending).then(() => {
        run.throwIfFailed(event);
        return run.result();
      });
    }
    if (run.failures === undefined) return Promise.resolve(resultForOne(run.handlersInvoked));
    try {
      run.throwIfFailed(event);
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve(run.result());
  }

  #continue(run: PublishRun): Promise<PublishResult> {
    while (run.index < run.events.length) {
      const event = run.events[run.index++]!;
      const pending = this.#deliver(event, run);
      if (pending !== undefined) {
        return Promise.all(pending).then(() => {
          run.throwIfFailed(event);
          return this.#continue(run);
        });
      }
      if (run.failures !== undefined && run.throwOnFailure) {
        try {
          run.throwIfFailed(event);
        } catch (error) {
          return Promise.reject(error);
        }
      }
    }
    return Promise.resolve(run.result());
  }

  /** Calls every handler of `event`; returns the promises of async handlers, if any. */
  #deliver(event: AnyEvent, run: PublishRun): Promise<void>[] | undefined {
    const route = this.#table.route(event);
    const invokers = route.invokers;
    const count = invokers.length;
    route.published++;
    run.handlersInvoked += count;
    if (this.#inspectors !== undefined) return this.#deliverInspected(event, route, run, run.background, run.source);
    let pending: Promise<void>[] | undefined;
    for (let i = 0; i < count; i++) {
      try {
        const result = invokers[i]!(event);
        if (result !== undefined && isThenable(result)) {
          const subscription = route.subscriptions[i]!;
          (pending ??= []).push(Promise.resolve(result).then(noop, (error: unknown) => this.#fail(event, subscription, error, run)));
        }
      } catch (error) {
        this.#fail(event, route.subscriptions[i]!, error, run);
      }
    }
    return pending;
  }

  /** The same delivery, timing each handler for the inspection stream. */
  #deliverInspected(event: AnyEvent, route: Route, run: PublishRun | undefined, background: boolean, source: string): Promise<void>[] | undefined {
    this.#emit({ type: 'published', busId: this.id, time: this.#clock.wallTime(), event, background, source });
    let pending: Promise<void>[] | undefined;
    for (let i = 0; i < route.invokers.length; i++) {
      const subscription = route.subscriptions[i]!;
      const started = this.#clock.now();
      const delivered = (): void => this.#emitDelivered(event, subscription, started);
      const failed = (error: unknown): void => {
        this.#fail(event, subscription, error, run);
        this.#emitFailed(event, subscription, started, error);
      };
      try {
        const result = route.invokers[i]!(event);
        if (result === undefined || !isThenable(result)) delivered();
        else if (run === undefined) this.#track(Promise.resolve(result).then(delivered, failed), [event.id]);
        else (pending ??= []).push(Promise.resolve(result).then(delivered, failed));
      } catch (error) {
        failed(error);
      }
    }
    return pending;
  }

  #publishInBackground(events: readonly AnyEvent[], source: string): BackgroundPublish {
    const done = Promise.resolve().then(() => this.#continue(new PublishRun(events, false, true, source)));
    this.#track(
      done,
      events.map((event) => event.id),
    );
    return { background: true, done };
  }

  #trackHandlerPromise(result: PromiseLike<unknown>, event: AnyEvent, subscription: Subscription): void {
    this.#track(
      Promise.resolve(result).then(noop, (error: unknown) => this.#fail(event, subscription, error, undefined)),
      [event.id],
    );
  }

  #track(work: Promise<unknown>, eventIds: readonly string[]): void {
    const taskId = ++this.#taskSeq;
    this.#backgroundTasksCreated++;
    const settled: Promise<void> = work.then(noop, noop).then(() => {
      this.#background.delete(settled);
      this.#backgroundTasksCompleted++;
      this.#emitBackground('settled', taskId);
    });
    this.#background.set(settled, { taskId, eventIds, startedAt: this.#clock.wallTime() });
    this.#emitBackground('started', taskId);
  }

  #fail(event: AnyEvent, subscription: Subscription, error: unknown, run: PublishRun | undefined): void {
    this.#handlerErrors++;
    const failure: HandlerFailure = { event, subscriptionId: subscription.id, handlerName: subscription.handlerName, error };
    if (run !== undefined) (run.failures ??= []).push(failure);
    callSafely(this.#onHandlerError, failure);
    if (this.#deadLetterSink !== undefined) callSafely(this.#deadLetterSink, failure);
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
    const key = keyOf(target);
    const kind = isWildcardKey(key) ? 'wildcard' : isPattern(key) ? 'pattern' : 'type';
    return this.#add(kind, kind === 'wildcard' ? '*' : key, handler, options);
  }

  /** Removes one subscription of `handler` to `target`; `true` if there was one. */
  unsubscribe(target: SubscriptionTarget, handler: EventHandler<never>): boolean {
    const key = keyOf(target);
    if (isWildcardKey(key)) return this.unsubscribeFromAllEvents(handler);
    return this.#remove(this.#table.find(isPattern(key) ? 'pattern' : 'type', key, handler));
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
  subscribeToAllEvents(handler: EventHandler, options: SubscribeOptions = {}): Unsubscribe {
    return this.#add('wildcard', '*', handler, options);
  }

  /** Removes one wildcard subscription of `handler`; `true` if there was one. */
  unsubscribeFromAllEvents(handler: EventHandler<never>): boolean {
    return this.#remove(this.#table.find('wildcard', '*', handler));
  }

  /** Removes every subscription. */
  clearSubscribers(): void {
    for (const subscription of this.#table.clear()) this.#emitUnsubscribed(subscription);
  }

  #add(kind: Subscription['kind'], key: string, handler: EventHandler<never>, options: SubscribeOptions): Unsubscribe {
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
    this.#table.add(subscription);
    if (this.#inspectors !== undefined) {
      this.#emit({ type: 'subscribed', busId: this.id, time: this.#clock.wallTime(), subscription: infoOf(subscription) });
    }
    return () => void this.#remove(subscription);
  }

  #remove(subscription: Subscription | undefined): boolean {
    if (subscription === undefined || !this.#table.remove(subscription)) return false;
    this.#emitUnsubscribed(subscription);
    return true;
  }

  // ---------------------------------------------------------------- stats and lifecycle

  /** The counters of the tutorial. */
  getStats(): EventBusStats {
    const { eventsPublished, handlersInvoked } = this.#table.totals();
    return {
      eventsPublished,
      handlersInvoked,
      handlerErrors: this.#handlerErrors,
      backgroundTasksCreated: this.#backgroundTasksCreated,
      backgroundTasksCompleted: this.#backgroundTasksCompleted,
    };
  }

  /** Subscriptions to exactly this type name or pattern (wildcards are counted apart). */
  getSubscriberCount(target: SubscriptionTarget): number {
    const key = keyOf(target);
    if (isWildcardKey(key)) return this.getWildcardSubscriberCount();
    return this.#table.count(isPattern(key) ? 'pattern' : 'type', key);
  }

  /** Subscriptions to every event. */
  getWildcardSubscriberCount(): number {
    return this.#table.count('wildcard', '*');
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
   * the bus as it is now. Costs nothing while no inspector is attached.
   * @returns a function that detaches the listener
   */
  inspect(listener: InspectionListener): Unsubscribe {
    (this.#inspectors ??= new Set()).add(listener);
    callSafely(listener, {
      type: 'init',
      busId: this.id,
      time: this.#clock.wallTime(),
      busName: this.name,
      subscriptions: this.getSubscriptions(),
      stats: this.getStats(),
    });
    return () => {
      this.#inspectors?.delete(listener);
      if (this.#inspectors?.size === 0) this.#inspectors = undefined;
    };
  }

  /** Adds a record from a store, transport or runner to this bus's inspection stream. */
  report(record: ReportedRecord): void {
    if (this.#inspectors === undefined) return;
    this.#emit({ ...record, busId: this.id, time: this.#clock.wallTime() } as InspectionRecord);
  }

  #emit(record: InspectionRecord): void {
    if (this.#inspectors === undefined) return;
    for (const listener of this.#inspectors) callSafely(listener, record);
  }

  #emitDelivered(event: AnyEvent, subscription: Subscription, started: number): void {
    const durationMs = this.#clock.now() - started;
    this.#emit({ type: 'delivered', busId: this.id, time: this.#clock.wallTime(), eventId: event.id, subscriptionId: subscription.id, durationMs });
  }

  #emitFailed(event: AnyEvent, subscription: Subscription, started: number, error: unknown): void {
    const durationMs = this.#clock.now() - started;
    const record = { eventId: event.id, subscriptionId: subscription.id, durationMs, error: serializeError(error) };
    this.#emit({ type: 'failed', busId: this.id, time: this.#clock.wallTime(), ...record });
  }

  #emitBackground(phase: 'started' | 'settled', taskId: number): void {
    if (this.#inspectors === undefined) return;
    this.#emit({ type: 'background', busId: this.id, time: this.#clock.wallTime(), phase, taskId, pending: this.#background.size });
  }

  #emitUnsubscribed(subscription: Subscription): void {
    if (this.#inspectors === undefined) return;
    this.#emit({ type: 'unsubscribed', busId: this.id, time: this.#clock.wallTime(), subscriptionId: subscription.id });
  }
}

function noop(): void {}

const noEvents: readonly AnyEvent[] = Object.freeze([]);
const noFailures: readonly HandlerFailure[] = Object.freeze([]);
const resultsForOne: PublishResult[] = [];

/** The result of a one-event publish without failures is the same each time: share it. */
function resultForOne(handlersInvoked: number): PublishResult {
  return (resultsForOne[handlersInvoked] ??= Object.freeze({ eventsPublished: 1, handlersInvoked, failures: noFailures }));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
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

function keyOf(target: SubscriptionTarget): string {
  const key = typeof target === 'string' ? target : (target as { type?: unknown } | null)?.type;
  if (typeof key !== 'string' || key === '') {
    throw new EventwireError('INVALID_ARGUMENT', 'Expected an event type, a type name or a pattern such as "Order.*"');
  }
  return key;
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
