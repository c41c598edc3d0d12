import {
  EventwireError,
  followLog,
  type AppendResult,
  type EventRegistry,
  type EventStore,
  type ReadAllOptions,
  type StoredEvent,
  type StoredEventHandler,
  type StoreSubscribeOptions,
  type Unsubscribe,
} from '@eventwire/core';
import type * as Comlink from 'comlink';
import { decodePrefix } from './logFollower.js';
import type { LogServerApi } from './protocol.js';

/**
 * An upstream application's log, read through a MessagePort, as a read-only `EventStore`: what
 * a `ProjectionRunner` in another worker follows. Every event is decoded against the registry
 * (it arrives from outside this worker); `subscribe` catches up, then follows the upstream's
 * wake-ups.
 * @internal
 */
export class RemoteLog implements EventStore {
  readonly #remote: Comlink.Remote<LogServerApi>;
  readonly #registry: EventRegistry;
  readonly #wakes = new Set<() => void>();

  private constructor(remote: Comlink.Remote<LogServerApi>, registry: EventRegistry) {
    this.#remote = remote;
    this.#registry = registry;
  }

  /** Connects to the log server and asks it for wake-ups. */
  static async connect(remote: Comlink.Remote<LogServerApi>, registry: EventRegistry, proxy: <T extends object>(value: T) => T): Promise<RemoteLog> {
    const log = new RemoteLog(remote, registry);
    await remote.onAppend(proxy(() => log.#wake()));
    return log;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    return decodePrefix(await this.#remote.readAll(options), this.#registry);
  }

  getLastPosition(): Promise<number> {
    return this.#remote.getLastPosition();
  }

  subscribe(handler: StoredEventHandler, options: StoreSubscribeOptions = {}): Unsubscribe {
    return followLog({
      read: (from) => this.readAll({ fromPosition: from, limit: 500 }),
      handler,
      options,
      onAppend: (wake) => {
        this.#wakes.add(wake);
        return () => this.#wakes.delete(wake);
      },
    });
  }

  append(): Promise<AppendResult> {
    return Promise.reject(readOnly('append'));
  }

  readStream(): Promise<StoredEvent[]> {
    return Promise.reject(readOnly('readStream'));
  }

  getStreamVersion(): Promise<number> {
    return Promise.reject(readOnly('getStreamVersion'));
  }

  #wake(): void {
    for (const wake of this.#wakes) wake();
  }
}

function readOnly(operation: string): EventwireError {
  return new EventwireError('INVALID_ARGUMENT', `${operation}: a followed upstream log is read-only and global-order only`);
}
