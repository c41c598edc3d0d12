import type { AnyEventType, EventOf } from './defineEvent.js';
import type { AnyEvent } from './event.js';
import type { InspectionListener, InspectOptions, ReportedRecord } from './inspection.js';

/** Stops a subscription. Calling it again does nothing. */
export type Unsubscribe = () => void;

/** A handler function; it may return a promise. */
export type EventHandlerFunction<E extends AnyEvent = AnyEvent> = (event: E) => unknown;

/** A handler object, as in the tutorial's `NotificationHandler`. */
export interface EventHandlerObject<E extends AnyEvent = AnyEvent> {
  handle(event: E): unknown;
}

/** A function or an object with `handle`, sync or async. */
export type EventHandler<E extends AnyEvent = AnyEvent> = EventHandlerFunction<E> | EventHandlerObject<E>;

/** A projection declares the types it handles; `subscribeAll` subscribes it to each. */
export interface Projection extends EventHandlerObject<AnyEvent> {
  readonly subscribedTo: readonly AnyEventType[] | (() => readonly AnyEventType[]);
}

/** Options of one subscription. */
export interface SubscribeOptions {
  /** The name the devtools show; the function or class name by default. */
  name?: string;
}

/** Options of `publish`. */
export interface PublishOptions {
  /** Return once the work is scheduled; `shutdown` waits for it. */
  background?: boolean;
  /**
   * `'isolate'` (the default): a failing handler is counted and reported, others go on and
   * `publish` resolves. `'throw'`: after the failing event's handlers settle, `publish` rejects
   * with `HANDLER_FAILED` and later events of the call are not dispatched (synchronous delivery).
   */
  errors?: 'isolate' | 'throw';
}

/** A handler that threw or rejected. */
export interface HandlerFailure {
  readonly event: AnyEvent;
  readonly subscriptionId: string;
  readonly handlerName: string;
  readonly error: unknown;
}

/** What one `publish` did. */
export interface PublishResult {
  readonly eventsPublished: number;
  readonly handlersInvoked: number;
  readonly failures: readonly HandlerFailure[];
}

/** What a background `publish` returns at once; `done` settles when its handlers have. */
export interface BackgroundPublish {
  readonly background: true;
  readonly done: Promise<PublishResult>;
}

/** The bus's counters, as in the tutorial. */
export interface EventBusStats {
  readonly eventsPublished: number;
  readonly handlersInvoked: number;
  readonly handlerErrors: number;
  readonly backgroundTasksCreated: number;
  readonly backgroundTasksCompleted: number;
}

/** Background work still running when `shutdown` gave up. */
export interface PendingTask {
  readonly taskId: number;
  readonly eventIds: readonly string[];
  readonly startedAt: number;
}

/** What `shutdown` found. */
export interface ShutdownResult {
  /** Whether all background work settled within the timeout. */
  readonly completed: boolean;
  readonly pendingTasks: readonly PendingTask[];
}

/** Anything that can publish events: a bus, a transport, a recording bus. */
export interface EventPublisher {
  publish(events: AnyEvent | readonly AnyEvent[]): Promise<unknown>;
}

/** What `subscribe` accepts: an event type, a type name, or a pattern such as `Order.*`. */
export type SubscriptionTarget = AnyEventType | string;

/**
 * The event bus contract: the tutorial's surface, camelCased, plus inspection.
 * `InMemoryEventBus` implements it; so does every bus wrapper (workers, testing).
 */
export interface EventBus extends EventPublisher {
  publish(events: AnyEvent | readonly AnyEvent[], options?: PublishOptions & { background?: false }): Promise<PublishResult>;
  publish(events: AnyEvent | readonly AnyEvent[], options: PublishOptions & { background: true }): Promise<BackgroundPublish>;
  publish(events: AnyEvent | readonly AnyEvent[], options?: PublishOptions): Promise<PublishResult | BackgroundPublish>;
  publishSync(events: AnyEvent | readonly AnyEvent[]): void;
  subscribe<T extends AnyEventType>(eventType: T, handler: EventHandler<EventOf<T>>, options?: SubscribeOptions): Unsubscribe;
  subscribe(typeOrPattern: string, handler: EventHandler, options?: SubscribeOptions): Unsubscribe;
  unsubscribe(target: SubscriptionTarget, handler: EventHandler<never>): boolean;
  subscribeAll(projection: Projection, options?: SubscribeOptions): Unsubscribe;
  subscribeToAllEvents(handler: EventHandler, options?: SubscribeOptions): Unsubscribe;
  unsubscribeFromAllEvents(handler: EventHandler<never>): boolean;
  getStats(): EventBusStats;
  getSubscriberCount(target: SubscriptionTarget): number;
  getWildcardSubscriberCount(): number;
  getBackgroundTaskCount(): number;
  clearSubscribers(): void;
  shutdown(options?: { timeoutMs?: number }): Promise<ShutdownResult>;
  inspect(listener: InspectionListener, options?: InspectOptions): Unsubscribe;
  report(record: ReportedRecord): void;
}
