import * as Comlink from 'comlink';
import {
  deserializeError,
  type AnyEvent,
  type AppendOptions,
  type AppendResult,
  type EventRegistry,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SerializedError,
  type StoredEvent,
  type StoredEventHandler,
  type StoreSubscribeOptions,
  type Unsubscribe,
} from '@eventwire/core';
import { PendingCalls } from './pendingCalls.js';
import { fromPlainError } from './plainErrors.js';
import type { StoreHostApi } from './storeHost.js';

/** Options of {@link wrapStore}. */
export interface WrapStoreOptions {
  /** Decodes every event read from the worker's store. */
  registry: EventRegistry;
  /**
   * A call the worker has not answered after this long rejects with `TIMEOUT`.
   * @default 30000
   */
  timeoutMs?: number;
}

/**
 * The page's view of an event store that lives in a worker (`exposeStore`, or
 * `exposeBus({ store })`), as an `EventStore`. Stored events coming back are decoded through the
 * registry; errors keep their codes (a version conflict is still a `CONCURRENCY_CONFLICT`).
 * `terminate()` rejects every pending call with `WORKER_TERMINATED`.
 */
export class WorkerEventStore implements EventStore {
  readonly #endpoint: Comlink.Endpoint;
  readonly #remote: Comlink.Remote<StoreHostApi>;
  readonly #registry: EventRegistry;
  readonly #pending: PendingCalls;

  constructor(endpoint: Comlink.Endpoint, options: WrapStoreOptions) {
    this.#endpoint = endpoint;
    // A nested object is a proxy too: comlink sends the path, `store.append`, with each call.
    this.#remote = Comlink.wrap<{ store: StoreHostApi }>(endpoint).store as unknown as Comlink.Remote<StoreHostApi>;
    this.#registry = options.registry;
    this.#pending = new PendingCalls(options.timeoutMs ?? 30_000);
  }

  async append(streamId: string, events: readonly AnyEvent[], options?: AppendOptions): Promise<AppendResult> {
    const result = (await this.#call('append', () => this.#remote.append(streamId, [...events], options))) as AppendResult;
    return { ...result, stored: result.stored.map((stored) => this.#decode(stored)) };
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return (await this.#call('readStream', () => this.#remote.readStream(streamId, options))).map((stored) => this.#decode(stored));
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return (await this.#call('readAll', () => this.#remote.readAll(options))).map((stored) => this.#decode(stored));
  }

  getStreamVersion(streamId: string): Promise<number> {
    return this.#call('getStreamVersion', () => this.#remote.getStreamVersion(streamId));
  }

  getLastPosition(): Promise<number> {
    return this.#call('getLastPosition', () => this.#remote.getLastPosition());
  }

  /** Catches up, then follows live, in the worker; the handler runs here, one event at a time. */
  subscribe(handler: StoredEventHandler, options: StoreSubscribeOptions = {}): Unsubscribe {
    const onError = options.onError;
    const remoteHandler = Comlink.proxy(async (stored: StoredEvent) => {
      await handler(this.#decode(stored));
    });
    const remoteOnError = onError === undefined ? undefined : Comlink.proxy((error: SerializedError, stored: StoredEvent) => onError(deserializeError(error), stored));
    const id = this.#call('subscribe', () => this.#remote.subscribe(remoteHandler, options.fromPosition, remoteOnError)).catch((error: unknown) => {
      console.error('[eventwire] worker store subscribe failed', error);
      return undefined;
    });
    return () => void id.then((value) => (value === undefined ? undefined : this.#remote.unsubscribe(value)));
  }

  /** Terminates the worker (when the endpoint is a `Worker`) and rejects pending calls with `WORKER_TERMINATED`. */
  terminate(): void {
    this.#pending.terminate('The worker was terminated while the call was pending');
    (this.#endpoint as { terminate?: () => void }).terminate?.();
  }

  #decode(stored: StoredEvent): StoredEvent {
    return { ...stored, event: this.#registry.decode(stored.event) };
  }

  #call<T>(what: string, call: () => Promise<T>): Promise<T> {
    return this.#pending.track(`worker store ${what}`, () => call().catch((error: unknown) => Promise.reject(fromPlainError(error))));
  }
}

/**
 * Wraps an event store served in a worker, as an `EventStore` in this page.
 *
 * @example
 * ```ts
 * const store = wrapStore(worker, { registry });
 * await store.append('Order-1', [placed], { expectedVersion: 0 });
 * ```
 */
export function wrapStore(endpoint: Comlink.Endpoint, options: WrapStoreOptions): WorkerEventStore {
  return new WorkerEventStore(endpoint, options);
}
