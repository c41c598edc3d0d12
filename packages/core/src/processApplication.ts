import { Application, type ApplicationOptions } from './application.js';
import { isConcurrencyError } from './concurrencyError.js';
import type { AnyEventType, EventOf } from './defineEvent.js';
import { EventwireError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { ReadAllOptions, StoredEvent } from './eventStore.js';
import { HandlerTable } from './handlerTable.js';
import { ProcessingEvent } from './processingEvent.js';
import { reportTo } from './inspectionReporter.js';
import { isTrackingEventStore, trackingKey, type TrackingEventStore } from './trackingStore.js';

/** What a process application reads an upstream log through: a store, or a proxy of one. */
export interface UpstreamLog {
  readAll(options?: ReadAllOptions): Promise<readonly StoredEvent[]>;
}

/**
 * An application that follows other applications' logs: its policy reacts to each upstream
 * event and collects events of its own, which are written in one transaction together with
 * the tracking record of the upstream event. So each upstream event is processed exactly once,
 * across restarts and reloads, and also when two runners race (one of them gets a conflict and
 * skips the event).
 *
 * The policy is found like a processor's handlers: `@handles(Type)` methods taking
 * `(event, processing)`, or `this.on(Type, (event, processing) => ...)`; or override `policy`.
 *
 * @example
 * ```ts
 * class TrickCounters extends ProcessApplication {
 *   readonly #counters = this.repository(Counter);
 *   constructor(options?: ApplicationOptions) {
 *     super(options);
 *     this.on(TrickAdded, async (event, processing) => {
 *       const counter = (await this.#counters.tryLoad(event.data.trick)) ?? Counter.start(event.data.trick);
 *       counter.increment();
 *       processing.collectEvents(counter);
 *     });
 *   }
 *   async getCount(trick: string) {
 *     return (await this.#counters.tryLoad(trick))?.state.count ?? 0;
 *   }
 * }
 * ```
 */
export class ProcessApplication extends Application {
  declare readonly store: TrackingEventStore;
  #policies: HandlerTable | undefined;
  readonly #tracked = new Map<string, number>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: ApplicationOptions = {}) {
    super(options);
    if (!isTrackingEventStore(this.store)) {
      throw new EventwireError('INVALID_ARGUMENT', `${this.name}: a process application needs a store that records tracking (TrackingEventStore)`);
    }
  }

  /** Adds a policy for an event type: the decorator-free form of `@handles`. */
  protected on<T extends AnyEventType>(eventType: T, policy: (event: EventOf<T>, processing: ProcessingEvent) => unknown): this {
    this.#table().add(eventType, policy);
    return this;
  }

  /** Reacts to one upstream event; collects new events on `processing`. Events nobody handles are ignored. */
  protected policy(event: AnyEvent, processing: ProcessingEvent): unknown {
    return this.#table().run(event, [processing]);
  }

  /** The position of the last event of `upstream` this application processed. */
  async trackedPosition(upstream: string): Promise<number> {
    const known = this.#tracked.get(upstream);
    if (known !== undefined) return known;
    const recorded = await this.store.getTrackedPosition(this.name, upstream);
    this.#tracked.set(upstream, Math.max(recorded, this.#tracked.get(upstream) ?? 0));
    return this.#tracked.get(upstream)!;
  }

  /**
   * Processes one event of an upstream log, once: events at or before the tracked position
   * are skipped. Calls are queued, so events are processed one at a time, in order.
   * @returns whether the event was processed now
   */
  receive(upstream: string, stored: StoredEvent): Promise<boolean> {
    const run = this.#queue.then(() => this.#process(upstream, stored));
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * Processes every event of an upstream log past the tracked position.
   * @returns how many events were processed
   */
  async pull(upstream: string, log: UpstreamLog, pageSize = 100): Promise<number> {
    let processed = 0;
    for (;;) {
      const page = await log.readAll({ fromPosition: (await this.trackedPosition(upstream)) + 1, limit: pageSize });
      if (page.length === 0) return processed;
      for (const stored of page) if (await this.receive(upstream, stored)) processed++;
    }
  }

  async #process(upstream: string, stored: StoredEvent): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      if (stored.position <= (await this.trackedPosition(upstream))) return false;
      const processing = new ProcessingEvent(upstream, stored);
      await this.policy(stored.event, processing);
      try {
        const results = await this.store.appendTracked(processing.writes(), { consumer: this.name, upstream, position: stored.position });
        processing.markCommitted();
        this.#tracked.set(upstream, stored.position);
        reportTo(this.reporter, { type: 'checkpoint', projection: trackingKey(this.name, upstream), position: stored.position });
        await this.afterAppend(results.flatMap((result) => result.stored), 'process');
        return true;
      } catch (error) {
        // Someone else wrote first (another runner, another tab): reload and decide again.
        if (!isConcurrencyError(error) || attempt >= 5) throw error;
        this.#tracked.delete(upstream);
      }
    }
  }

  #table(): HandlerTable {
    return (this.#policies ??= HandlerTable.discover(this));
  }
}
