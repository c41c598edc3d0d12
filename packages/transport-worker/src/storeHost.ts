import * as Comlink from 'comlink';
import { serializeError, type AppendOptions, type EventRegistry, type EventStore, type ReadAllOptions, type ReadStreamOptions, type SerializedError, type StoredEvent, type Unsubscribe } from '@eventwire/core';
import { withPlainErrors } from './plainErrors.js';

/**
 * The calls the page makes into a worker's event store (the wire contract of
 * {@link exposeStore} and `exposeBus({ store })`).
 * @internal
 */
export interface StoreHostApi {
  append(streamId: string, events: readonly unknown[], options?: AppendOptions): Promise<unknown>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  getStreamVersion(streamId: string): Promise<number>;
  getLastPosition(): Promise<number>;
  subscribe(handler: (stored: StoredEvent) => Promise<void>, fromPosition: number | undefined, onError: ((error: SerializedError, stored: StoredEvent) => void) | undefined): string;
  unsubscribe(id: string): void;
}

/** Options of {@link exposeStore}. */
export interface ExposeStoreOptions {
  /** Decodes every event the page appends. */
  registry: EventRegistry;
  /** The endpoint comlink listens on: the worker's `self` by default. Use it for nothing else. */
  endpoint?: Comlink.Endpoint;
}

/**
 * Serves an event store living in this worker to the page ({@link wrapStore} there). Events
 * the page appends are decoded through the registry first. To serve a bus too, use
 * `exposeBus(bus, { registry, store })` instead: one endpoint, one `expose`.
 *
 * @example
 * ```ts
 * // worker.ts
 * exposeStore(new InMemoryEventStore(), { registry });
 * ```
 */
export function exposeStore(store: EventStore, options: ExposeStoreOptions): void {
  Comlink.expose({ store: createStoreHost(store, options.registry) }, options.endpoint ?? (globalThis as unknown as Comlink.Endpoint));
}

/** @internal builds the object comlink serves; separate so that tests can use a MessageChannel. */
export function createStoreHost(store: EventStore, registry: EventRegistry): StoreHostApi {
  const subscriptions = new Map<string, Unsubscribe>();
  let seq = 0;
  return withPlainErrors<StoreHostApi>({
    append: (streamId, events, options) => store.append(streamId, events.map((event) => registry.decode(event)), options),
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    getStreamVersion: (streamId) => store.getStreamVersion(streamId),
    getLastPosition: () => store.getLastPosition(),
    subscribe(handler, fromPosition, onError) {
      const id = `store-subscription-${++seq}`;
      const stop = store.subscribe((stored) => handler(stored), {
        ...(fromPosition === undefined ? {} : { fromPosition }),
        ...(onError === undefined ? {} : { onError: (error: unknown, stored: StoredEvent) => void onError(serializeError(error), stored) }),
      });
      subscriptions.set(id, () => {
        stop();
        for (const proxy of [handler, onError]) (proxy as Partial<Comlink.Remote<() => void>> | undefined)?.[Comlink.releaseProxy]?.();
      });
      return id;
    },
    unsubscribe(id) {
      subscriptions.get(id)?.();
      subscriptions.delete(id);
    },
  });
}
