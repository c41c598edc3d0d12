import { runtime } from './runtimeGlobals.js';
import type { Unsubscribe } from './eventBus.js';
import type { StoredEvent, StoredEventHandler, StoreSubscribeOptions } from './eventStore.js';

/** What a store gives {@link followLog}. */
export interface FollowSource {
  /** Reads a page of the log from a position (inclusive), in order. */
  read(fromPosition: number): readonly StoredEvent[] | Promise<readonly StoredEvent[]>;
  handler: StoredEventHandler;
  options: StoreSubscribeOptions;
  /** Registers a callback run after every append; returns its removal. */
  onAppend(wake: () => void): () => void;
}

/**
 * Catch-up then live: delivers the log from a position in order, one event at a time, and
 * keeps following appends. A throwing handler stops the subscription (nothing is skipped).
 * Shared by the stores so that they agree exactly.
 *
 * @example
 * ```ts
 * subscribe(handler, options) {
 *   return followLog({ read: (from) => this.readAll({ fromPosition: from, limit: 500 }), handler, options, onAppend });
 * }
 * ```
 */
export function followLog(source: FollowSource): Unsubscribe {
  let next = Math.max(source.options.fromPosition ?? 1, 1);
  let active = true;
  let running = false;
  let again = false;
  let current: StoredEvent | undefined;

  const pump = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        for (let page = await source.read(next); active && page.length > 0; page = await source.read(next)) {
          for (const stored of page) {
            if (!active) return;
            if (stored.position < next) continue;
            current = stored;
            await source.handler(stored);
            current = undefined;
            next = stored.position + 1;
          }
        }
      } while (again && active);
    } catch (error) {
      active = false;
      stop();
      if (source.options.onError !== undefined && current !== undefined) source.options.onError(error, current);
      else runtime.console.error('[eventwire] store subscription stopped', error);
    } finally {
      running = false;
    }
  };

  const stop = source.onAppend(() => void pump());
  void pump();
  return () => {
    active = false;
    stop();
  };
}
