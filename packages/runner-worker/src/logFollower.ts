import type { EventRegistry, ProcessApplication, ReadAllOptions, StoredEvent, UpstreamLog } from '@eventwire/core';
import type { LogServerApi } from './protocol.js';

type Remote<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never };

/**
 * Follows an upstream log in another worker: pulls what is new whenever the upstream says it
 * appended, one pull at a time, decoding every event against the registry (it arrives from
 * outside this worker), and lets callers wait for a position.
 * @internal
 */
export class LogFollower {
  readonly upstream: string;
  readonly #app: ProcessApplication;
  readonly #log: UpstreamLog;
  #running: Promise<void> | undefined;
  #again = false;
  #failure: unknown;
  #waiters: { position: number; resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(app: ProcessApplication, upstream: string, remote: Remote<LogServerApi>, registry: EventRegistry) {
    this.#app = app;
    this.upstream = upstream;
    this.#log = { readAll: async (options: ReadAllOptions) => decodePrefix(await remote.readAll(options), registry) };
  }

  get failure(): unknown {
    return this.#failure;
  }

  /** Pulls until nothing is new; a pull requested meanwhile runs once the current one ends. */
  pull(): Promise<void> {
    if (this.#failure !== undefined) return Promise.resolve();
    if (this.#running !== undefined) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#pullUntilQuiet().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async waitFor(position: number): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    if ((await this.#app.trackedPosition(this.upstream)) >= position) return;
    const reached = new Promise<void>((resolve, reject) => this.#waiters.push({ position, resolve, reject }));
    void this.pull();
    await reached;
  }

  async #pullUntilQuiet(): Promise<void> {
    try {
      do {
        this.#again = false;
        await this.#app.pull(this.upstream, this.#log);
        await this.#settleWaiters();
      } while (this.#again);
    } catch (error) {
      this.#failure = error;
      for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
    }
  }

  async #settleWaiters(): Promise<void> {
    const tracked = await this.#app.trackedPosition(this.upstream);
    const ready = this.#waiters.filter((waiter) => waiter.position <= tracked);
    this.#waiters = this.#waiters.filter((waiter) => waiter.position > tracked);
    for (const waiter of ready) waiter.resolve();
  }
}

/**
 * Decodes a page up to the first event that does not decode: the events before it are
 * processed, and the next read, starting at that event, throws its error. So a pipe stops
 * exactly at the bad event, having skipped nothing.
 * @internal
 */
export function decodePrefix(page: readonly StoredEvent[], registry: EventRegistry): StoredEvent[] {
  const decoded: StoredEvent[] = [];
  for (const stored of page) {
    const result = registry.safeDecode(stored.event);
    if (!result.ok) {
      if (decoded.length === 0) throw result.error;
      break;
    }
    decoded.push({ ...stored, event: result.event });
  }
  return decoded;
}
