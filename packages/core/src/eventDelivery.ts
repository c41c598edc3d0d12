import type { EventStore, StoredEvent } from './eventStore.js';
import type { EventProcessor } from './eventProcessor.js';
import type { InspectionReporter } from './inspectionReporter.js';

/** What an application gives its delivery strategy when it attaches it. */
export interface DeliveryContext {
  /** The application's name, the prefix of the processors' checkpoints. */
  readonly application: string;
  readonly store: EventStore;
  readonly processors: readonly EventProcessor[];
  readonly reporter?: InspectionReporter;
}

/**
 * How an application's events reach its processors: `SynchronousDelivery` (the default: before
 * the command returns) or `AsynchronousDelivery` (the processors follow the store or a
 * transport, with checkpoints, retries and dead letters).
 *
 * @example
 * ```ts
 * const school = new DogSchool({ processors: [new TrickStats()], delivery: new AsynchronousDelivery() });
 * await school.runEventProcessors();
 * ```
 */
export interface EventDelivery {
  readonly kind: 'synchronous' | 'asynchronous';
  /** Binds the strategy to one application; called once, by its constructor. */
  attach(context: DeliveryContext): void;
  /** Called after every append with the stored events, before the command returns. */
  deliver(stored: readonly StoredEvent[]): Promise<void>;
  /** Starts the processors (asynchronous delivery); resolves once they are running. */
  start(): Promise<void>;
  /** Stops the processors; their checkpoints stay. */
  stop(): Promise<void>;
  /** Resolves once the processors have handled everything stored so far (asynchronous delivery). */
  idle?(): Promise<void>;
}
