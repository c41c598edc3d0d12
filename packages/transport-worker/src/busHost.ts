import * as Comlink from 'comlink';
import {
  connect,
  serializeError,
  type EventBus,
  type EventStore,
  type EventBusStats,
  type EventRegistry,
  type InspectionRecord,
  type ReportedRecord,
  type SerializedError,
  type Unsubscribe,
} from '@eventwire/core';
import { withPlainErrors } from './plainErrors.js';
import { createPortTransport } from './portTransport.js';
import { createStoreHost, type StoreHostApi } from './storeHost.js';

/** The worker bus as the page last saw it: what the page's synchronous getters return. */
export interface BusSnapshot {
  readonly stats: EventBusStats;
  readonly subscriberCounts: Readonly<Record<string, number>>;
  readonly wildcardSubscribers: number;
  readonly backgroundTasks: number;
}

/** A handler failure, as plain data. */
export interface RemoteFailure {
  readonly eventId: string;
  readonly subscriptionId: string;
  readonly handlerName: string;
  readonly error: SerializedError;
}

/** What a publish in the worker did. */
export interface RemotePublishResult {
  readonly eventsPublished: number;
  readonly handlersInvoked: number;
  readonly failures: readonly RemoteFailure[];
}

/** A reply with the worker bus's state after the call. */
export interface WithSnapshot<T> {
  readonly value: T;
  readonly snapshot: BusSnapshot;
}

/** A page-side handler, called by the worker with the raw event; resolves when it settled. */
export type RemoteHandler = (event: unknown) => Promise<void> | void;

/**
 * The calls the page makes into the worker (the wire contract of {@link exposeBus}).
 * @internal
 */
export interface BusHostApi {
  publish(events: readonly unknown[], background: boolean): Promise<WithSnapshot<RemotePublishResult>>;
  subscribe(key: string, handler: RemoteHandler, name: string): WithSnapshot<string>;
  unsubscribe(subscriptionId: string): WithSnapshot<boolean>;
  clearSubscribers(): WithSnapshot<void>;
  snapshot(keys: readonly string[]): BusSnapshot;
  shutdown(timeoutMs: number | undefined): Promise<WithSnapshot<{ completed: boolean; pendingTasks: number }>>;
  inspect(listener: (record: InspectionRecord) => void): string;
  stopInspecting(id: string): void;
  report(record: ReportedRecord): void;
  openChannel(): MessagePort;
}

/** Options of {@link exposeBus}. */
export interface ExposeBusOptions {
  /** Decodes every event that comes from the page. */
  registry: EventRegistry;
  /** The endpoint comlink listens on: the worker's `self` by default. Use it for nothing else. */
  endpoint?: Comlink.Endpoint;
  /** An event store to serve beside the bus, for {@link wrapStore} in the page. */
  store?: EventStore;
}

/**
 * Serves a bus (living in this worker) to the page: call it in the worker, and
 * {@link wrapBus} in the page. Events from the page are decoded through the registry before
 * they are published here; handlers the page subscribes are called across the boundary, and a
 * publish in the worker waits for them as for local ones.
 *
 * @example
 * ```ts
 * // worker.ts
 * const bus = new InMemoryEventBus({ name: 'worker' });
 * exposeBus(bus, { registry });
 * ```
 */
export function exposeBus(bus: EventBus, options: ExposeBusOptions): void {
  const host: BusHostApi & { store?: StoreHostApi } = createBusHost(bus, options.registry);
  if (options.store !== undefined) host.store = createStoreHost(options.store, options.registry);
  Comlink.expose(host, options.endpoint ?? (globalThis as unknown as Comlink.Endpoint));
}

/** @internal builds the object comlink exposes; separate so that tests can use a MessageChannel. */
export function createBusHost(bus: EventBus, registry: EventRegistry): BusHostApi {
  const subscriptions = new Map<string, Unsubscribe>();
  const inspectors = new Map<string, Unsubscribe>();
  const keys = new Set<string>();
  let seq = 0;
  const snapshot = (extra: readonly string[] = []): BusSnapshot => {
    const subscriberCounts: Record<string, number> = {};
    for (const key of [...keys, ...extra]) subscriberCounts[key] = bus.getSubscriberCount(key);
    return { stats: bus.getStats(), subscriberCounts, wildcardSubscribers: bus.getWildcardSubscriberCount(), backgroundTasks: bus.getBackgroundTaskCount() };
  };
  const reply = <T>(value: T): WithSnapshot<T> => ({ value, snapshot: snapshot() });

  return withPlainErrors<BusHostApi>({
    async publish(rawEvents, background) {
      const events = rawEvents.map((raw) => registry.decode(raw));
      if (background) {
        await bus.publish(events, { background: true });
        return reply({ eventsPublished: events.length, handlersInvoked: 0, failures: [] });
      }
      const result = await bus.publish(events);
      const failures = result.failures.map((failure) => ({
        eventId: failure.event.id,
        subscriptionId: failure.subscriptionId,
        handlerName: failure.handlerName,
        error: serializeError(failure.error),
      }));
      return reply({ eventsPublished: result.eventsPublished, handlersInvoked: result.handlersInvoked, failures });
    },
    subscribe(key, handler, name) {
      const id = `remote-${++seq}`;
      keys.add(key);
      const invoke = (event: unknown): Promise<void> | void => handler(event);
      const unsubscribe = key === '*' ? bus.subscribeToAllEvents(invoke, { name }) : bus.subscribe(key, invoke, { name });
      subscriptions.set(id, () => {
        unsubscribe();
        // The page's handler is a comlink proxy: free its port.
        (handler as Partial<Comlink.Remote<RemoteHandler>>)[Comlink.releaseProxy]?.();
      });
      return reply(id);
    },
    unsubscribe(subscriptionId) {
      const unsubscribe = subscriptions.get(subscriptionId);
      subscriptions.delete(subscriptionId);
      unsubscribe?.();
      return reply(unsubscribe !== undefined);
    },
    clearSubscribers() {
      bus.clearSubscribers();
      subscriptions.clear();
      return reply(undefined);
    },
    snapshot: (extra) => snapshot(extra),
    async shutdown(timeoutMs) {
      const result = await bus.shutdown(timeoutMs === undefined ? {} : { timeoutMs });
      return reply({ completed: result.completed, pendingTasks: result.pendingTasks.length });
    },
    inspect(listener) {
      const id = `inspector-${++seq}`;
      inspectors.set(id, bus.inspect((record) => void listener(record)));
      return id;
    },
    stopInspecting(id) {
      inspectors.get(id)?.();
      inspectors.delete(id);
    },
    report: (record) => bus.report(record),
    openChannel() {
      // A second channel for bulk event traffic, batched by connect, beside the RPC channel.
      const { port1, port2 } = new MessageChannel();
      connect(bus, createPortTransport(port1, { name: 'worker-channel' }), { registry });
      return Comlink.transfer(port2, [port2]);
    },
  });
}
