import { EventwireError } from './errors.js';
import { runtime } from './runtimeGlobals.js';

/** A platform API that some runtimes lack, and that an eventwire adapter needs. */
export type Capability = 'BroadcastChannel' | 'IndexedDB' | 'WebLocks';

/** The part of `BroadcastChannel` eventwire uses; core has no DOM typings. */
export interface BroadcastChannelLike {
  readonly name: string;
  postMessage(message: unknown): void;
  close(): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
}

/** The part of `IDBFactory` used to prove that IndexedDB is really there. */
export interface IndexedDBFactoryLike {
  cmp(first: unknown, second: unknown): number;
}

/** The part of `LockManager` used to prove that Web Locks are really there. */
export interface LockManagerLike {
  request<T>(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => T | Promise<T>): Promise<T>;
}

const advice: Record<Capability, string> = {
  BroadcastChannel:
    'Cloudflare workerd has no BroadcastChannel: connect isolates through a broker transport (@eventwire/transport-nats over WebSocket) or a Durable Object instead',
  IndexedDB:
    'only browsers (windows and workers) have IndexedDB: use InMemoryEventStore in Node, Deno, Bun and workerd (fake-indexeddb in Node tests)',
  WebLocks:
    'without navigator.locks there is no cross-tab leader election: run the projection in a SharedWorker, or in every context with its own checkpoint',
};

/**
 * The error an adapter throws when the runtime lacks what it needs: what is missing, why we
 * think so, and what to use instead.
 *
 * @example
 * ```ts
 * throw unsupportedRuntime('IndexedDB', 'indexedDB is not defined');
 * ```
 */
export function unsupportedRuntime(capability: Capability, reason: string): EventwireError<'UNSUPPORTED_RUNTIME'> {
  return new EventwireError('UNSUPPORTED_RUNTIME', `${capability} is not available in this runtime (${reason}); ${advice[capability]}`, {
    details: { capability, reason },
  });
}

const globals = globalThis as Record<string, unknown>;

/**
 * Opens a `BroadcastChannel`, detected by constructing one (not by `typeof`), or throws
 * `UNSUPPORTED_RUNTIME` saying what to use instead (workerd has none).
 *
 * @example
 * ```ts
 * const channel = openBroadcastChannel('eventwire:orders');
 * channel.addEventListener('message', (event) => receive(event.data));
 * ```
 */
export function openBroadcastChannel(name: string): BroadcastChannelLike {
  const channel = attempt('BroadcastChannel', () => new (globals['BroadcastChannel'] as new (name: string) => unknown)(name));
  if (!hasMethods(channel, ['postMessage', 'close', 'addEventListener', 'removeEventListener'])) {
    throw unsupportedRuntime('BroadcastChannel', 'the BroadcastChannel global does not make working channels');
  }
  return channel as BroadcastChannelLike;
}

/**
 * Proves that `BroadcastChannel` delivers: posts on one channel and waits for a second channel
 * of the same name to receive it. Catches do-nothing shims that a sync check cannot. Resolves
 * when a message arrived; rejects with `UNSUPPORTED_RUNTIME` otherwise.
 *
 * @param timeoutMs how long to wait for the probe message. @default 1000
 * @example
 * ```ts
 * await probeBroadcastChannel(); // throws in workerd, or where a test shim swallows messages
 * ```
 */
export async function probeBroadcastChannel(timeoutMs = 1000): Promise<void> {
  const name = `eventwire:probe:${Math.random().toString(36).slice(2)}`;
  const sender = openBroadcastChannel(name);
  const receiver = openBroadcastChannel(name);
  let timer: unknown;
  try {
    const arrived = await new Promise<boolean>((resolve) => {
      receiver.addEventListener('message', (event) => resolve(event.data === name));
      timer = runtime.setTimeout(() => resolve(false), timeoutMs);
      sender.postMessage(name);
    });
    if (!arrived) throw unsupportedRuntime('BroadcastChannel', `a probe message was not delivered within ${timeoutMs} ms`);
  } finally {
    runtime.clearTimeout(timer);
    sender.close();
    receiver.close();
  }
}

/**
 * Returns the runtime's `indexedDB` after using it (`indexedDB.cmp(1, 2)` must answer -1), or
 * throws `UNSUPPORTED_RUNTIME`: only browsers have IndexedDB.
 *
 * @example
 * ```ts
 * const factory = requireIndexedDB() as IDBFactory;
 * ```
 */
export function requireIndexedDB(): IndexedDBFactoryLike {
  const factory = globals['indexedDB'] as IndexedDBFactoryLike;
  const order = attempt('IndexedDB', () => factory.cmp(1, 2));
  if (order !== -1) throw unsupportedRuntime('IndexedDB', 'indexedDB.cmp(1, 2) did not compare keys');
  return factory;
}

/**
 * Returns `navigator.locks` after taking and releasing a lock with it, or rejects with
 * `UNSUPPORTED_RUNTIME`.
 *
 * @example
 * ```ts
 * const locks = (await requireWebLocks()) as LockManager;
 * ```
 */
export async function requireWebLocks(): Promise<LockManagerLike> {
  const locks = (globals['navigator'] as { locks?: LockManagerLike } | undefined)?.locks as LockManagerLike;
  const name = `eventwire:probe:${Math.random().toString(36).slice(2)}`;
  const granted = await attemptAsync('WebLocks', () => locks.request(name, { ifAvailable: true }, (lock) => lock !== null && lock !== undefined));
  if (granted !== true) throw unsupportedRuntime('WebLocks', 'navigator.locks.request did not grant a free lock');
  return locks;
}

function attempt<T>(capability: Capability, use: () => T): T {
  try {
    return use();
  } catch (error) {
    throw unsupportedRuntime(capability, error instanceof Error ? error.message : String(error));
  }
}

async function attemptAsync<T>(capability: Capability, use: () => Promise<T>): Promise<T> {
  try {
    return await use();
  } catch (error) {
    throw unsupportedRuntime(capability, error instanceof Error ? error.message : String(error));
  }
}

function hasMethods(value: unknown, names: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}
