import type { AnyEventType, EventOf } from './defineEvent.js';
import type { AnyEvent } from './event.js';
import type { Projection } from './eventBus.js';
import { HandlerTable } from './handlerTable.js';

/** Options of {@link EventProcessor}. */
export interface EventProcessorOptions {
  /**
   * The processor's name: its checkpoint and dead-letter key, and what the devtools show.
   * Give one when the code is minified, since class names do not survive minifiers.
   * @default the class name
   */
  name?: string;
}

/**
 * Reacts to events: builds read models, sends notifications, calls other systems. Its handler
 * methods are found per event type, from `@handles(Type)` decorators or from `this.on(Type, fn)`
 * (the decorator-free form). It is a `Projection`, so a bus can run it (`bus.subscribeAll`),
 * and an application delivers to it synchronously or asynchronously (`SynchronousDelivery`,
 * `AsynchronousDelivery`).
 *
 * Handlers should be idempotent (events may be delivered again after a failure); the
 * asynchronous delivery deduplicates by event id through its checkpoint.
 *
 * @example
 * ```ts
 * class TrickStats extends EventProcessor {
 *   readonly counts = new Map<string, number>();
 *
 *   @handles(TrickAdded)
 *   onTrickAdded(event: EventOf<typeof TrickAdded>) {
 *     this.counts.set(event.data.trick, (this.counts.get(event.data.trick) ?? 0) + 1);
 *   }
 * }
 *
 * // the same without decorators
 * class TrickStatsPlain extends EventProcessor {
 *   readonly counts = new Map<string, number>();
 *   constructor() {
 *     super();
 *     this.on(TrickAdded, (event) => void this.counts.set(event.data.trick, (this.counts.get(event.data.trick) ?? 0) + 1));
 *   }
 * }
 * ```
 */
export class EventProcessor implements Projection {
  readonly name: string;
  #table: HandlerTable | undefined;

  constructor(options: EventProcessorOptions = {}) {
    this.name = options.name ?? this.constructor.name;
  }

  /**
   * Adds a handler for an event type: the decorator-free form of `@handles`.
   * @returns the processor, to chain calls
   */
  on<T extends AnyEventType>(eventType: T, handler: (event: EventOf<T>) => unknown): this {
    this.#handlers().add(eventType, handler);
    return this;
  }

  /** The event types this processor handles; `bus.subscribeAll(processor)` subscribes to each. */
  get subscribedTo(): readonly AnyEventType[] {
    return this.#handlers().eventTypes();
  }

  /** Whether the processor has a handler for this event. */
  handles(event: Pick<AnyEvent, 'type'>): boolean {
    return this.#handlers().has(event.type);
  }

  /**
   * Runs the handlers of the event's type, one after the other. Events of other types are
   * ignored. Returns a promise only when a handler is asynchronous.
   */
  handle(event: AnyEvent): unknown {
    return this.#handlers().run(event, []);
  }

  #handlers(): HandlerTable {
    // Lazy: decorated methods are on the prototype before any constructor runs.
    return (this.#table ??= HandlerTable.discover(this));
  }
}
