import { BoundedIdSet } from './boundedIdSet.js';
import { InMemoryCheckpointStore, type CheckpointStore } from './checkpointStore.js';
import { InMemoryDeadLetterStore, type DeadLetterStore } from './deadLetterStore.js';
import { EventwireError, serializeError } from './errors.js';
import type { Unsubscribe } from './eventBus.js';
import type { StoredEvent } from './eventStore.js';
import type { DeliveryContext, EventDelivery } from './eventDelivery.js';
import { ProcessorWorker } from './processorWorker.js';
import type { EventRegistry } from './registry.js';
import { RetryPolicy } from './retryPolicy.js';
import type { BatchOutcome, IncomingBatch, PayloadProblem, Transport } from './transport.js';

/** Options of {@link AsynchronousDelivery}. */
export interface AsynchronousDeliveryOptions {
  /** Where each processor's position is kept. @default a new InMemoryCheckpointStore */
  checkpoints?: CheckpointStore<unknown>;
  /** How a failing event is retried. @default 3 attempts, exponential backoff from 50 ms */
  retry?: RetryPolicy;
  /** Where events go when their retries are spent. @default a new InMemoryDeadLetterStore */
  deadLetters?: DeadLetterStore;
  /**
   * Follow a transport instead of the application's store: the application sends each saved
   * batch to it, and the processors handle what it delivers (decoded through `registry`,
   * deduplicated by event id).
   */
  transport?: Transport;
  /** Decodes what the transport delivers. Required with `transport`. */
  registry?: EventRegistry;
}

/**
 * Processors run apart from the commands: each follows the application's store (or a
 * transport) from its checkpoint. A failing event is retried, then dead-lettered, and the
 * processor goes on; the writer is never blocked or failed by a processor.
 *
 * @example
 * ```ts
 * const deadLetters = new InMemoryDeadLetterStore();
 * const school = new DogSchool({
 *   processors: [new TrickStats()],
 *   delivery: new AsynchronousDelivery({ retry: new RetryPolicy({ attempts: 5 }), deadLetters }),
 * });
 * await school.runEventProcessors();
 * await school.addTrick(dogId, 'roll over'); // returns once stored
 * await school.processorsIdle();             // for tests: every processor caught up
 * ```
 */
export class AsynchronousDelivery implements EventDelivery {
  readonly kind = 'asynchronous';
  readonly checkpoints: CheckpointStore<unknown>;
  readonly deadLetters: DeadLetterStore;
  readonly #retry: RetryPolicy;
  readonly #options: AsynchronousDeliveryOptions;
  #context: DeliveryContext | undefined;
  #workers: ProcessorWorker[] = [];
  #stops: Unsubscribe[] = [];
  readonly #inFlight = new Set<Promise<BatchOutcome>>();

  constructor(options: AsynchronousDeliveryOptions = {}) {
    if (options.transport !== undefined && options.registry === undefined) {
      throw new EventwireError('INVALID_ARGUMENT', 'AsynchronousDelivery: a transport needs a registry to decode what it delivers');
    }
    this.#options = options;
    this.checkpoints = options.checkpoints ?? new InMemoryCheckpointStore();
    this.deadLetters = options.deadLetters ?? new InMemoryDeadLetterStore();
    this.#retry = options.retry ?? new RetryPolicy({ attempts: 3, backoff: 'exponential', initialDelayMs: 50 });
  }

  attach(context: DeliveryContext): void {
    if (this.#context !== undefined) throw new EventwireError('INVALID_ARGUMENT', 'a delivery strategy serves one application; make one per application');
    this.#context = context;
  }

  /** With a transport, sends the events out; with the store, does nothing (the processors follow it). */
  async deliver(stored: readonly StoredEvent[]): Promise<void> {
    if (this.#options.transport !== undefined && stored.length > 0) await this.#options.transport.send(stored.map((s) => s.event));
  }

  async start(): Promise<void> {
    const context = this.#requireContext();
    if (this.#workers.length > 0) return;
    this.#workers = context.processors.map(
      (processor) =>
        new ProcessorWorker({
          consumer: `${context.application}/${processor.name}`,
          processor,
          checkpoints: this.checkpoints,
          retry: this.#retry,
          deadLetters: this.deadLetters,
          ...(context.reporter === undefined ? {} : { reporter: context.reporter }),
        }),
    );
    for (const worker of this.#workers) await worker.load();
    if (this.#options.transport !== undefined) this.#stops.push(this.#followTransport(this.#options.transport));
    else for (const worker of this.#workers) this.#stops.push(this.#followStore(context, worker));
  }

  async stop(): Promise<void> {
    for (const stop of this.#stops) stop();
    this.#stops = [];
    this.#workers = [];
  }

  /**
   * Resolves once every processor has handled (or dead-lettered) everything the store holds
   * now. Following a transport: every batch received so far.
   */
  async idle(): Promise<void> {
    if (this.#options.transport !== undefined) {
      while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
      return;
    }
    const target = await this.#requireContext().store.getLastPosition();
    await Promise.all(this.#workers.map((worker) => worker.waitFor(target)));
  }

  #followStore(context: DeliveryContext, worker: ProcessorWorker): Unsubscribe {
    return context.store.subscribe((stored) => worker.process(stored.event, stored.position), { fromPosition: worker.position + 1 });
  }

  #followTransport(transport: Transport): Unsubscribe {
    const seen = this.#workers.map(() => new BoundedIdSet(10_000));
    return transport.receive((batch) => {
      const handling = this.#handleBatch(batch, seen);
      this.#inFlight.add(handling);
      void handling.finally(() => this.#inFlight.delete(handling)).catch(() => {});
      return handling;
    });
  }

  /** Decodes each payload; runs every processor on it once per event id (retries, then dead letters). */
  async #handleBatch(batch: IncomingBatch, seen: readonly BoundedIdSet[]): Promise<BatchOutcome> {
    const handled: number[] = [];
    const rejected: PayloadProblem[] = [];
    for (const [index, payload] of batch.payloads.entries()) {
      const decoded = this.#options.registry!.safeDecode(payload);
      if (!decoded.ok) {
        rejected.push({ index, error: serializeError(decoded.error) });
        continue;
      }
      for (const [i, worker] of this.#workers.entries()) if (seen[i]!.add(decoded.event.id)) await worker.process(decoded.event);
      handled.push(index);
    }
    return { handled, failed: [], rejected };
  }

  #requireContext(): DeliveryContext {
    if (this.#context === undefined) throw new EventwireError('INVALID_ARGUMENT', 'AsynchronousDelivery is not attached to an application');
    return this.#context;
  }
}
