import type { AnyEvent } from './event.js';
import { runtime } from './runtimeGlobals.js';

/** Options of {@link SendQueue}. */
export interface SendQueueOptions {
  /** Sends one batch; the queue waits for it before sending the next, so order is kept. */
  send(batch: readonly AnyEvent[]): Promise<void>;
  /** At most this many events per batch. */
  maxBatchSize: number;
  /**
   * How long to collect events before sending. `undefined` sends at the end of the current
   * microtask queue: a synchronous burst becomes one batch and a lone event is not delayed.
   */
  delayMs: number | undefined;
}

/**
 * Collects outgoing events into batches and sends them one batch at a time, in order. While a
 * batch is in flight new events pile up and leave together with the next one, so a slow
 * transport gets bigger batches instead of more of them.
 * @internal
 */
export class SendQueue {
  readonly #options: SendQueueOptions;
  #pending: AnyEvent[] = [];
  #scheduled = false;
  #draining: Promise<void> | undefined;

  constructor(options: SendQueueOptions) {
    this.#options = options;
  }

  /** Queues `event`; sends at once when a batch is full. */
  push(event: AnyEvent): void {
    this.#pending.push(event);
    if (this.#pending.length >= this.#options.maxBatchSize) this.#startDraining();
    else this.#schedule();
  }

  /** Events queued and not yet handed to the transport. */
  get size(): number {
    return this.#pending.length;
  }

  /** Sends everything queued now; resolves when the transport has taken it all. */
  async flush(): Promise<void> {
    while (this.#pending.length > 0 || this.#draining !== undefined) {
      await (this.#draining ?? this.#startDraining());
    }
  }

  #schedule(): void {
    if (this.#scheduled || this.#draining !== undefined) return;
    this.#scheduled = true;
    const { delayMs } = this.#options;
    if (delayMs === undefined) void Promise.resolve().then(() => this.#startDraining());
    else runtime.setTimeout(() => void this.#startDraining(), delayMs);
  }

  #startDraining(): Promise<void> {
    this.#scheduled = false;
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
      // Events pushed between the last send and this callback found a drain running and did
      // not schedule one.
      if (this.#pending.length > 0) this.#schedule();
    });
    return this.#draining;
  }

  async #drain(): Promise<void> {
    const { maxBatchSize, send } = this.#options;
    while (this.#pending.length > 0) {
      const batch = this.#pending.length <= maxBatchSize ? this.#pending : this.#pending.slice(0, maxBatchSize);
      this.#pending = batch === this.#pending ? [] : this.#pending.slice(maxBatchSize);
      await send(batch);
    }
  }
}
