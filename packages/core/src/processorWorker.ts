import type { CheckpointStore } from './checkpointStore.js';
import { reportDeadLetter, type DeadLetterStore } from './deadLetterStore.js';
import type { AnyEvent } from './event.js';
import type { EventProcessor } from './eventProcessor.js';
import { reportTo, type InspectionReporter } from './inspectionReporter.js';
import type { RetryPolicy } from './retryPolicy.js';

/** What one processor needs to run asynchronously. */
export interface ProcessorWorkerOptions {
  /** The checkpoint and dead-letter consumer name. */
  readonly consumer: string;
  readonly processor: EventProcessor;
  readonly checkpoints: CheckpointStore<unknown>;
  readonly retry: RetryPolicy;
  readonly deadLetters: DeadLetterStore;
  readonly reporter?: InspectionReporter;
}

/**
 * Runs one processor on events delivered asynchronously: retries each failing event by the
 * policy, dead-letters it when the attempts are spent, then moves the checkpoint past it.
 * So a poisoned event never stops the processor, and nothing is lost.
 * @internal used by `AsynchronousDelivery`
 */
export class ProcessorWorker {
  readonly #options: ProcessorWorkerOptions;
  #position = 0;
  #waiters: { position: number; resolve: () => void }[] = [];

  constructor(options: ProcessorWorkerOptions) {
    this.#options = options;
  }

  get consumer(): string {
    return this.#options.consumer;
  }

  /** The position of the last event processed (or dead-lettered). */
  get position(): number {
    return this.#position;
  }

  /** Loads the checkpoint; returns it. */
  async load(): Promise<number> {
    this.#advance(await this.#options.checkpoints.get(this.#options.consumer));
    return this.#position;
  }

  /**
   * Handles one event with retries, dead-letters it when they are spent.
   * @returns whether the handler succeeded
   */
  async process(event: AnyEvent, position?: number): Promise<boolean> {
    const { processor, retry, deadLetters, consumer, reporter } = this.#options;
    let ok = true;
    if (processor.handles(event)) {
      const outcome = await retry.attempt(() => processor.handle(event));
      if (!outcome.ok) {
        ok = false;
        const letter = await deadLetters.add({ consumer, event, error: outcome.error, attempts: outcome.attempts, ...(position === undefined ? {} : { position }) });
        reportDeadLetter(reporter, letter);
      }
    }
    if (position !== undefined) await this.#checkpoint(position);
    return ok;
  }

  /** Resolves once the worker has processed everything up to `position`. */
  waitFor(position: number): Promise<void> {
    if (this.#position >= position) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ position, resolve }));
  }

  async #checkpoint(position: number): Promise<void> {
    await this.#options.checkpoints.commit(this.#options.consumer, position);
    reportTo(this.#options.reporter, { type: 'checkpoint', projection: this.#options.consumer, position });
    this.#advance(position);
  }

  #advance(position: number): void {
    if (position <= this.#position) return;
    this.#position = position;
    const ready = this.#waiters.filter((waiter) => waiter.position <= position);
    this.#waiters = this.#waiters.filter((waiter) => waiter.position > position);
    for (const waiter of ready) waiter.resolve();
  }
}
