import { AggregateRepository } from './aggregateRepository.js';
import type { AggregateRoot } from './aggregateRoot.js';
import { EventwireError } from './errors.js';
import type { Unsubscribe } from './eventBus.js';
import type { EventDelivery } from './eventDelivery.js';
import type { EventProcessor } from './eventProcessor.js';
import type { EventStore, StoredEvent } from './eventStore.js';
import { InMemoryEventStore } from './inMemoryEventStore.js';
import type { InspectionReporter } from './inspectionReporter.js';
import { SynchronousDelivery } from './synchronousDelivery.js';

/** Options of {@link Application}; a runner passes them to every application it creates. */
export interface ApplicationOptions {
  /** The application's event store: its notification log. @default a new InMemoryEventStore */
  store?: EventStore;
  /** @default the class's `applicationName`, else the class name */
  name?: string;
  /** Processors that receive the application's events. */
  processors?: readonly EventProcessor[];
  /** How the events reach the processors. @default a new SynchronousDelivery */
  delivery?: EventDelivery;
  /** Receives checkpoint and dead-letter records (a bus, for the devtools). */
  reporter?: InspectionReporter;
}

/** Why events were appended: a command (`save`) or the processing of an upstream event. */
export type AppendOrigin = 'command' | 'process';

/** Called after every append of an application, before the command returns. */
export type AppendListener = (stored: readonly StoredEvent[], origin: AppendOrigin) => unknown;

/** A class of application, as a `System` lists it. */
export type ApplicationClass<A extends Application = Application> = (new (options?: ApplicationOptions) => A) & {
  readonly applicationName?: string;
};

/**
 * An event-sourced application: command methods load aggregates, call them, and `save` them.
 * Saving appends each aggregate's new events with optimistic concurrency, then hands them to
 * the processors (synchronously unless configured otherwise) and to the runner of its system.
 *
 * @example
 * ```ts
 * class DogSchool extends Application {
 *   readonly #dogs = this.repository(Dog);
 *   async registerDog(name: string) {
 *     const dog = Dog.register(name);
 *     await this.save(dog);
 *     return dog.aggregateId;
 *   }
 *   async addTrick(dogId: string, trick: string) {
 *     const dog = await this.#dogs.load(dogId);
 *     dog.addTrick(trick);
 *     await this.save(dog);
 *   }
 * }
 * const school = new DogSchool();
 * ```
 */
export class Application {
  readonly name: string;
  readonly store: EventStore;
  readonly processors: readonly EventProcessor[];
  readonly delivery: EventDelivery;
  /** Where the application reports what it does (checkpoints, dead letters), for the devtools. */
  protected readonly reporter: InspectionReporter | undefined;
  readonly #listeners = new Set<AppendListener>();

  constructor(options: ApplicationOptions = {}) {
    const own = this.constructor as ApplicationClass;
    this.name = options.name ?? own.applicationName ?? own.name;
    this.store = options.store ?? new InMemoryEventStore();
    this.processors = [...(options.processors ?? [])];
    this.delivery = options.delivery ?? new SynchronousDelivery();
    this.reporter = options.reporter;
    const context = { application: this.name, store: this.store, processors: this.processors };
    this.delivery.attach(options.reporter === undefined ? context : { ...context, reporter: options.reporter });
  }

  /**
   * A repository of one aggregate type over this application's store.
   * @param aggregateType the type, when the class cannot be constructed with an id alone
   */
  protected repository<A extends AggregateRoot<unknown>>(aggregateFactory: new (aggregateId: string) => A, aggregateType?: string): AggregateRepository<A> {
    return new AggregateRepository({ eventStore: this.store, aggregateFactory, aggregateType: aggregateType ?? new aggregateFactory('').aggregateType });
  }

  /**
   * Appends the new events of each aggregate (one append per aggregate, expecting the version
   * it was loaded at), then delivers them.
   * @returns what was stored
   * @throws {ConcurrencyError} when another writer saved an aggregate first
   * @throws {EventwireError} `HANDLER_FAILED` when a processor fails under synchronous delivery
   */
  async save(...aggregates: AggregateRoot<unknown>[]): Promise<StoredEvent[]> {
    const stored: StoredEvent[] = [];
    for (const aggregate of aggregates) {
      const events = aggregate.uncommittedEvents;
      if (events.length === 0) continue;
      const expectedVersion = aggregate.version - events.length;
      const result = await this.store.append(streamIdOf(aggregate), events, { expectedVersion });
      aggregate.markEventsAsCommitted();
      stored.push(...result.stored);
    }
    await this.afterAppend(stored, 'command');
    return stored;
  }

  /** Starts the processors of an asynchronous delivery (as the reference's `run_event_processors`). */
  runEventProcessors(): Promise<void> {
    return this.delivery.start();
  }

  /**
   * Resolves once asynchronous processors have handled everything stored so far; at once
   * with synchronous delivery. For tests and orderly shutdowns.
   */
  async processorsIdle(): Promise<void> {
    await this.delivery.idle?.();
  }

  /** Stops the processors. */
  async stop(): Promise<void> {
    await this.delivery.stop();
  }

  /**
   * Adds a listener called after every append, before the command returns: how a runner
   * learns that a downstream application has new events to process.
   */
  onAppended(listener: AppendListener): Unsubscribe {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Delivers freshly stored events, then tells the listeners. */
  protected async afterAppend(stored: readonly StoredEvent[], origin: AppendOrigin): Promise<void> {
    if (stored.length > 0) await this.delivery.deliver(stored);
    for (const listener of [...this.#listeners]) await listener(stored, origin);
  }
}

/** The stream of an aggregate, as `AggregateRepository` names it by default. */
export function streamIdOf(aggregate: AggregateRoot<unknown>): string {
  if (typeof aggregate.aggregateType !== 'string' || aggregate.aggregateType === '') {
    throw new EventwireError('INVALID_ARGUMENT', 'save: the aggregate has no aggregateType');
  }
  return `${aggregate.aggregateType}-${aggregate.aggregateId}`;
}
