import type { Application, ReadAllOptions, StoredEvent, Unsubscribe } from '@eventwire/core';
import type { LogServerApi } from './protocol.js';

/**
 * Serves an application's log to a downstream worker: reads, and a wake-up after each append.
 * @internal
 */
export class LogServer implements LogServerApi {
  readonly #app: Application;
  readonly #stops: Unsubscribe[] = [];

  constructor(app: Application) {
    this.#app = app;
  }

  readAll(options: ReadAllOptions): Promise<readonly StoredEvent[]> {
    return this.#app.store.readAll(options);
  }

  getLastPosition(): Promise<number> {
    return this.#app.store.getLastPosition();
  }

  onAppend(wake: () => void): void {
    this.#stops.push(
      this.#app.onAppended((stored) => {
        // Fire and forget: a downstream that went away must not fail this application's commands.
        if (stored.length > 0) void Promise.resolve(wake()).catch(() => {});
      }),
    );
  }

  close(): void {
    for (const stop of this.#stops.splice(0)) stop();
  }
}
