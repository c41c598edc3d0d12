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

const resolved = Promise.resolve();

/**
 * Collects outgoing events into batches and sends them one batch at a time, in order. While a
 * batch is in flight new events pile up and leave together with the next one, so a slow
 * transport gets bigger batches instead of more of them.
 * @internal
 */
export class SendQueue {
  readonly #options: SendQueueOptions;
  #pending: AnyEvent[] = [];
  /** Full batches cut while one was in flight, oldest first, and how many events they hold. */
  #full: AnyEvent[][] = [];
  #fullCount = 0;
  #scheduled = false;
  #sending = false;
  /** What flush() waits on: settled when the queue next stops sending (rejected if a send failed). */
  #waiters: { resolve(): void; reject(error: unknown): void }[] = [];
  // Made once: a lone event costs one microtask and one promise reaction, and allocates no closure.
  readonly #drainSoon = (): void => this.#startDraining();
  readonly #afterSend = (): void => (this.size > 0 ? this.#sendNext() : this.#stop(undefined));
  readonly #afterFailure = (error: unknown): void => this.#stop(error ?? new Error('SendQueue: a send was rejected without a reason'));

  constructor(options: SendQueueOptions) {
    this.#options = options;
  }

  /** Queues `event`; sends at once when a batch is full. */
  push(event: AnyEvent): void {
    const pending = this.#pending;
    pending.push(event);
    if (pending.length < this.#options.maxBatchSize) this.#schedule();
    else if (!this.#sending) this.#startDraining();
    else {
      // Cut as it fills: a long burst is never copied again batch by batch.
      this.#full.push(pending);
      this.#fullCount += pending.length;
      this.#pending = [];
    }
  }

  /** Events queued and not yet handed to the transport. */
  get size(): number {
    return this.#fullCount + this.#pending.length;
  }

  /** Sends everything queued now; resolves when the transport has taken it all. */
  async flush(): Promise<void> {
    while (this.size > 0 || this.#sending) {
      const stopped = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
      this.#startDraining();
      await stopped;
    }
  }

  #schedule(): void {
    if (this.#scheduled || this.#sending) return;
    this.#scheduled = true;
    const { delayMs } = this.#options;
    // A promise reaction, not queueMicrotask: in browsers that one is a host call, costlier per use.
    if (delayMs === undefined) void resolved.then(this.#drainSoon);
    else runtime.setTimeout(this.#drainSoon, delayMs);
  }

  #startDraining(): void {
    this.#scheduled = false;
    if (this.#sending || this.size === 0) return;
    // Marked before the first send: a send that pushes must not start a second drain.
    this.#sending = true;
    this.#sendNext();
  }

  /** Sends the next batch; the next one leaves once the transport has taken this one. */
  #sendNext(): void {
    // Batches hold at most maxBatchSize events: push cuts them as they fill.
    let batch = this.#full.shift();
    if (batch === undefined) {
      batch = this.#pending;
      this.#pending = [];
    } else this.#fullCount -= batch.length;
    let sending: Promise<void>;
    try {
      sending = this.#options.send(batch);
    } catch (error) {
      sending = Promise.reject(error);
    }
    sending.then(this.#afterSend, this.#afterFailure);
  }

  #stop(error: unknown): void {
    this.#sending = false;
    const waiters = this.#waiters;
    if (waiters.length > 0) {
      this.#waiters = [];
      for (const waiter of waiters) {
        if (error === undefined) waiter.resolve();
        else waiter.reject(error);
      }
    }
    // After a failed send, what is left waits for the next drain.
    if (this.size > 0) this.#schedule();
  }
}
