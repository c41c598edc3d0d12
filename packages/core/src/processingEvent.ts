import type { AggregateRoot } from './aggregateRoot.js';
import { streamIdOf } from './application.js';
import { EventwireError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { StoredEvent } from './eventStore.js';
import type { StreamWrite } from './trackingStore.js';

/**
 * The unit of work of a process application: the upstream event being processed, and the
 * aggregates whose new events the policy collects. Everything collected is written in one
 * transaction with the tracking record of the upstream event.
 *
 * @example
 * ```ts
 * this.on(TrickAdded, async (event, processing) => {
 *   const counter = await this.counterFor(event.data.trick);
 *   counter.increment();
 *   processing.collectEvents(counter);
 * });
 * ```
 */
export class ProcessingEvent {
  /** The name of the application the event came from. */
  readonly upstream: string;
  readonly stored: StoredEvent;
  readonly #aggregates: AggregateRoot<unknown>[] = [];

  constructor(upstream: string, stored: StoredEvent) {
    this.upstream = upstream;
    this.stored = stored;
  }

  /** The upstream event. */
  get event(): AnyEvent {
    return this.stored.event;
  }

  /** Collects the new events of aggregates; collecting one twice is harmless. */
  collectEvents(...aggregates: AggregateRoot<unknown>[]): void {
    for (const aggregate of aggregates) {
      if (typeof (aggregate as Partial<AggregateRoot<unknown>>).markEventsAsCommitted !== 'function') {
        throw new EventwireError('INVALID_ARGUMENT', 'collectEvents takes aggregates (AggregateRoot instances)');
      }
      if (!this.#aggregates.includes(aggregate)) this.#aggregates.push(aggregate);
    }
  }

  /** One write per aggregate with new events, expecting the version it was loaded at. */
  writes(): StreamWrite[] {
    return this.#aggregates
      .filter((aggregate) => aggregate.uncommittedEvents.length > 0)
      .map((aggregate) => ({
        streamId: streamIdOf(aggregate),
        events: aggregate.uncommittedEvents,
        expectedVersion: aggregate.version - aggregate.uncommittedEvents.length,
      }));
  }

  /** Marks the collected aggregates' events as stored. */
  markCommitted(): void {
    for (const aggregate of this.#aggregates) aggregate.markEventsAsCommitted();
  }
}
