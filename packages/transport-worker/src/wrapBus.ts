import * as Comlink from 'comlink';
import {
  deserializeError,
  EventwireError,
  type AnyEvent,
  type AnyEventType,
  type BackgroundPublish,
  type EventBus,
  type EventBusStats,
  type EventHandler,
  type EventOf,
  type EventRegistry,
  type HandlerFailure,
  type InspectionListener,
  type Projection,
  type PublishOptions,
  type PublishResult,
  type ReportedRecord,
  type ShutdownResult,
  type SubscribeOptions,
  type SubscriptionTarget,
  type Unsubscribe,
} from '@eventwire/core';
import type { BusHostApi, BusSnapshot, RemotePublishResult, WithSnapshot } from './busHost.js';
import { PendingCalls } from './pendingCalls.js';
import { fromPlainError } from './plainErrors.js';

/** Options of {@link wrapBus}. */
export interface WrapBusOptions {
  /** Decodes every event the worker hands to a page handler. */
  registry: EventRegistry;
  /**
   * A call the worker has not answered after this long rejects with `TIMEOUT`.
   * @default 30000
   */
  timeoutMs?: number;
}

interface PageSubscription {
  readonly key: string;
  readonly handler: EventHandler<never>;
  readonly id: Promise<string | undefined>;
  active: boolean;
}

const emptySnapshot: BusSnapshot = {
  stats: { eventsPublished: 0, handlersInvoked: 0, handlerErrors: 0, backgroundTasksCreated: 0, backgroundTasksCompleted: 0 },
  subscriberCounts: {},
  wildcardSubscribers: 0,
  backgroundTasks: 0,
};

/**
 * The page's view of a bus that lives in a worker ({@link exposeBus}), as an `EventBus`:
 * publish from the page, subscribe page handlers (the worker calls them across the boundary and
 * waits for them), inspect. Every call is tracked: `terminate()` rejects those still pending
 * with `WORKER_TERMINATED` at once, and a call unanswered after `timeoutMs` rejects with
 * `TIMEOUT`. The synchronous getters (`getStats`, counts) return the worker's state as of the
 * last answered call; `await bus.refresh()` first for an exact read.
 */
export class WorkerEventBus implements EventBus {
  readonly #endpoint: Comlink.Endpoint;
  readonly #remote: Comlink.Remote<BusHostApi>;
  readonly #registry: EventRegistry;
  readonly #pending: PendingCalls;
  readonly #subscriptions: PageSubscription[] = [];
  readonly #changes = new Set<Promise<unknown>>();
  #snapshot: BusSnapshot = emptySnapshot;

  constructor(endpoint: Comlink.Endpoint, options: WrapBusOptions) {
    this.#endpoint = endpoint;
    this.#remote = Comlink.wrap<BusHostApi>(endpoint);
    this.#registry = options.registry;
    this.#pending = new PendingCalls(options.timeoutMs ?? 30_000);
  }

  /** Calls sent to the worker and not yet answered. */
  get pendingCalls(): number {
    return this.#pending.size;
  }

  // ---------------------------------------------------------------- publishing

  publish(events: AnyEvent | readonly AnyEvent[], options?: PublishOptions & { background?: false }): Promise<PublishResult>;
  publish(events: AnyEvent | readonly AnyEvent[], options: PublishOptions & { background: true }): Promise<BackgroundPublish>;
  publish(events: AnyEvent | readonly AnyEvent[], options?: PublishOptions): Promise<PublishResult | BackgroundPublish>;
  publish(events: AnyEvent | readonly AnyEvent[], options: PublishOptions = {}): Promise<PublishResult | BackgroundPublish> {
    const list: readonly AnyEvent[] = Array.isArray(events) ? events : [events as AnyEvent];
    const done = this.#call('publish', (remote) => remote.publish(list, false)).then((result) => this.#toPublishResult(result, list, options));
    if (options.background === true) return Promise.resolve({ background: true, done });
    return done;
  }

  /** Sends the events to the worker without waiting; a failure is logged. */
  publishSync(events: AnyEvent | readonly AnyEvent[]): void {
    this.publish(events).catch((error: unknown) => console.error('[eventwire] publishSync to the worker failed', error));
  }

  #toPublishResult(reply: WithSnapshot<RemotePublishResult>, events: readonly AnyEvent[], options: PublishOptions): PublishResult {
    const byId = new Map(events.map((event) => [event.id, event]));
    const failures: HandlerFailure[] = reply.value.failures.map((failure) => ({
      event: byId.get(failure.eventId) ?? ({ id: failure.eventId } as AnyEvent),
      subscriptionId: failure.subscriptionId,
      handlerName: failure.handlerName,
      error: deserializeError(failure.error),
    }));
    if (options.errors === 'throw' && failures.length > 0) {
      throw new EventwireError('HANDLER_FAILED', `${failures.length} handler(s) failed in the worker`, { cause: failures[0]!.error });
    }
    return { eventsPublished: reply.value.eventsPublished, handlersInvoked: reply.value.handlersInvoked, failures };
  }

  // ---------------------------------------------------------------- subscribing

  subscribe<T extends AnyEventType>(eventType: T, handler: EventHandler<EventOf<T>>, options?: SubscribeOptions): Unsubscribe;
  subscribe(typeOrPattern: string, handler: EventHandler, options?: SubscribeOptions): Unsubscribe;
  subscribe(target: SubscriptionTarget, handler: EventHandler<never>, options: SubscribeOptions = {}): Unsubscribe {
    return this.#add(keyOf(target), handler, options);
  }

  unsubscribe(target: SubscriptionTarget, handler: EventHandler<never>): boolean {
    return this.#remove(keyOf(target), handler);
  }

  subscribeAll(projection: Projection, options: SubscribeOptions = {}): Unsubscribe {
    const declared = projection.subscribedTo;
    const types = typeof declared === 'function' ? declared.call(projection) : declared;
    const unsubscribes = types.map((type) => this.#add(type.type, projection, options));
    return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
  }

  subscribeToAllEvents(handler: EventHandler, options: SubscribeOptions = {}): Unsubscribe {
    return this.#add('*', handler, options);
  }

  unsubscribeFromAllEvents(handler: EventHandler<never>): boolean {
    return this.#remove('*', handler);
  }

  clearSubscribers(): void {
    this.#subscriptions.length = 0;
    void this.#call('clearSubscribers', (remote) => remote.clearSubscribers()).catch(logFailure('clearSubscribers'));
  }

  #add(key: string, handler: EventHandler<never>, options: SubscribeOptions): Unsubscribe {
    const invoke = invokerOf(handler);
    const registry = this.#registry;
    // Events from the worker are outside input too: decoded before any page handler sees them.
    const remoteHandler = Comlink.proxy(async (raw: unknown) => {
      // Unsubscribed here already, the worker not told yet: the handler must not run.
      if (!subscription.active) return;
      await invoke(registry.decode(raw));
    });
    const name = options.name ?? nameOf(handler);
    const id = this.#call('subscribe', (remote) => remote.subscribe(key, remoteHandler, name)).then(
      (reply) => reply.value,
      (error: unknown) => void logFailure('subscribe')(error),
    );
    const subscription: PageSubscription = { key, handler, id, active: true };
    this.#changes.add(id);
    void id.finally(() => this.#changes.delete(id));
    this.#subscriptions.push(subscription);
    return () => void this.#removeSubscription(subscription);
  }

  #remove(key: string, handler: EventHandler<never>): boolean {
    const subscription = this.#subscriptions.find((candidate) => candidate.key === key && candidate.handler === handler);
    return subscription !== undefined && this.#removeSubscription(subscription);
  }

  #removeSubscription(subscription: PageSubscription): boolean {
    const index = this.#subscriptions.indexOf(subscription);
    if (index === -1) return false;
    this.#subscriptions.splice(index, 1);
    subscription.active = false;
    const removal = subscription.id
      .then((id) => (id === undefined ? undefined : this.#call('unsubscribe', (remote) => remote.unsubscribe(id))))
      .catch(logFailure('unsubscribe'))
      .finally(() => this.#changes.delete(removal));
    this.#changes.add(removal);
    return true;
  }

  // ---------------------------------------------------------------- state

  getStats(): EventBusStats {
    return this.#snapshot.stats;
  }

  getSubscriberCount(target: SubscriptionTarget): number {
    const key = keyOf(target);
    return key === '*' ? this.#snapshot.wildcardSubscribers : (this.#snapshot.subscriberCounts[key] ?? 0);
  }

  getWildcardSubscriberCount(): number {
    return this.#snapshot.wildcardSubscribers;
  }

  getBackgroundTaskCount(): number {
    return this.#snapshot.backgroundTasks;
  }

  /**
   * Waits until every subscribe and unsubscribe made here has reached the worker, then fetches
   * the worker bus's state, so that the synchronous getters are exact.
   */
  async refresh(...targets: SubscriptionTarget[]): Promise<void> {
    await Promise.all(this.#changes);
    this.#snapshot = await this.#track('snapshot', () => this.#remote.snapshot(targets.map(keyOf)));
  }

  async shutdown(options: { timeoutMs?: number } = {}): Promise<ShutdownResult> {
    const reply = await this.#call('shutdown', (remote) => remote.shutdown(options.timeoutMs));
    return { completed: reply.value.completed, pendingTasks: [] };
  }

  inspect(listener: InspectionListener): Unsubscribe {
    const id = this.#track('inspect', () => this.#remote.inspect(Comlink.proxy(listener))).catch((error: unknown) => void logFailure('inspect')(error));
    return () => void id.then((value) => (value === undefined ? undefined : this.#remote.stopInspecting(value)));
  }

  report(record: ReportedRecord): void {
    void this.#track('report', () => this.#remote.report(record)).catch(logFailure('report'));
  }

  /** A second channel to the worker bus for bulk events: `connect` a page bus to it with `createPortTransport`. */
  openChannel(): Promise<MessagePort> {
    return this.#track('openChannel', () => this.#remote.openChannel());
  }

  /**
   * Terminates the worker (when the endpoint is a `Worker`) and rejects every pending call, and
   * every later one, with `WORKER_TERMINATED`.
   */
  terminate(): void {
    this.#pending.terminate('The worker was terminated while the call was pending');
    (this.#endpoint as { terminate?: () => void }).terminate?.();
    this.#remote[Comlink.releaseProxy]();
  }

  #call<T>(what: string, call: (remote: Comlink.Remote<BusHostApi>) => Promise<WithSnapshot<T>>): Promise<WithSnapshot<T>> {
    return this.#track(what, () => call(this.#remote)).then((reply) => {
      this.#snapshot = reply.snapshot;
      return reply;
    });
  }

  #track<T>(what: string, call: () => Promise<T>): Promise<T> {
    return this.#pending.track(`worker bus ${what}`, () => call().catch((error: unknown) => Promise.reject(fromPlainError(error))));
  }
}

/**
 * Wraps a bus served by {@link exposeBus} in a worker, as an `EventBus` in this page.
 *
 * @param endpoint the `Worker` (or a `MessagePort`) the bus was exposed on
 * @param options the registry that decodes events coming from the worker, and the call timeout
 * @returns the bus; `terminate()` ends the worker and rejects pending calls
 *
 * @example
 * ```ts
 * const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
 * const bus = wrapBus(worker, { registry });
 * bus.subscribe(OrderPlaced, (event) => render(event)); // called from the worker
 * await bus.publish(OrderPlaced.create({ customerName: 'Alice', totalAmount: 5 }));
 * ```
 */
export function wrapBus(endpoint: Comlink.Endpoint, options: WrapBusOptions): WorkerEventBus {
  return new WorkerEventBus(endpoint, options);
}

function keyOf(target: SubscriptionTarget): string {
  const key = typeof target === 'string' ? target : target?.type;
  if (typeof key !== 'string' || key === '') throw new EventwireError('INVALID_ARGUMENT', 'Expected an event type, a type name or a pattern such as "Order.*"');
  return key;
}

function invokerOf(handler: EventHandler<never>): (event: AnyEvent) => unknown {
  if (typeof handler === 'function') return handler as (event: AnyEvent) => unknown;
  if (typeof handler === 'object' && handler !== null && typeof handler.handle === 'function') {
    return (event) => (handler as { handle(event: AnyEvent): unknown }).handle(event);
  }
  throw new EventwireError('INVALID_ARGUMENT', 'A handler must be a function or an object with a handle(event) method');
}

function nameOf(handler: object): string {
  if (typeof handler === 'function') return handler.name || 'anonymous';
  const ctor = (handler as { constructor?: { name?: string } }).constructor;
  return ctor !== undefined && ctor !== Object && ctor.name ? ctor.name : 'handler';
}

function logFailure(what: string): (error: unknown) => void {
  return (error) => console.error(`[eventwire] worker bus ${what} failed`, error);
}
