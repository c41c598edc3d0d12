import type { AggregateRoot } from './aggregateRoot.js';
import { EventwireError } from './errors.js';
import type { EventPublisher } from './eventBus.js';
import type { AppendResult, EventStore, StreamId } from './eventStore.js';

/** Options of {@link AggregateRepository}. */
export interface AggregateRepositoryOptions<A extends AggregateRoot<unknown>> {
  eventStore: EventStore;
  /** The aggregate class; it is constructed with the aggregate id. */
  aggregateFactory: new (aggregateId: string) => A;
  aggregateType: string;
  /** Where saved events are published, after the append succeeded. */
  eventPublisher?: EventPublisher;
  /**
   * The stream of an aggregate.
   * @default `${aggregateType}-${aggregateId}`
   */
  streamIdOf?: (aggregateId: string) => StreamId;
}

/**
 * Loads aggregates from their streams and saves their new events with optimistic
 * concurrency, then publishes them: never before the append is durable.
 *
 * @example
 * ```ts
 * const repo = new AggregateRepository({ eventStore, aggregateFactory: OrderAggregate, aggregateType: 'Order', eventPublisher: bus });
 * const order = repo.createNew(crypto.randomUUID());
 * order.place('Alice', 99.99);
 * await repo.save(order); // appended, then published
 * ```
 */
export class AggregateRepository<A extends AggregateRoot<unknown>> {
  readonly #options: AggregateRepositoryOptions<A>;

  constructor(options: AggregateRepositoryOptions<A>) {
    this.#options = options;
  }

  /** A new, empty aggregate (nothing is stored until `save`). */
  createNew(aggregateId: string): A {
    return new this.#options.aggregateFactory(aggregateId);
  }

  /**
   * Rebuilds an aggregate from its stream.
   * @throws {EventwireError} `AGGREGATE_NOT_FOUND` when the stream is empty
   */
  async load(aggregateId: string): Promise<A> {
    const aggregate = await this.tryLoad(aggregateId);
    if (aggregate === undefined) {
      throw new EventwireError('AGGREGATE_NOT_FOUND', `${this.#options.aggregateType} ${aggregateId} does not exist`, {
        details: { aggregateId, aggregateType: this.#options.aggregateType },
      });
    }
    return aggregate;
  }

  /** Rebuilds an aggregate, or `undefined` when its stream is empty. */
  async tryLoad(aggregateId: string): Promise<A | undefined> {
    const history = await this.#options.eventStore.readStream(this.streamIdOf(aggregateId));
    if (history.length === 0) return undefined;
    const aggregate = this.createNew(aggregateId);
    aggregate.loadFromHistory(history.map((stored) => stored.event));
    return aggregate;
  }

  /** Whether the aggregate has any stored event. */
  async exists(aggregateId: string): Promise<boolean> {
    return (await this.#options.eventStore.getStreamVersion(this.streamIdOf(aggregateId))) > 0;
  }

  /**
   * Appends the aggregate's new events, expecting the version it was loaded at, then publishes
   * them. Does nothing when there is nothing new.
   * @throws {ConcurrencyError} when another writer saved first
   */
  async save(aggregate: A): Promise<AppendResult | undefined> {
    const events = aggregate.uncommittedEvents;
    if (events.length === 0) return undefined;
    const expectedVersion = aggregate.version - events.length;
    const result = await this.#options.eventStore.append(this.streamIdOf(aggregate.aggregateId), events, { expectedVersion });
    aggregate.markEventsAsCommitted();
    await this.#options.eventPublisher?.publish(events);
    return result;
  }

  /** The stream id of an aggregate. */
  streamIdOf(aggregateId: string): StreamId {
    return this.#options.streamIdOf?.(aggregateId) ?? `${this.#options.aggregateType}-${aggregateId}`;
  }
}
