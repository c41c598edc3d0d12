import type { AnyEvent } from './event.js';

/**
 * An event-sourced aggregate: its state is the fold of its events. Subclasses say what the
 * initial state is and how each event changes it; command methods check invariants and call
 * `applyEvent`.
 *
 * @template State the aggregate's state
 *
 * @example
 * ```ts
 * class OrderAggregate extends AggregateRoot<OrderState> {
 *   readonly aggregateType = 'Order';
 *   protected getInitialState() { return { status: 'draft', totalAmount: 0 }; }
 *   protected apply(state: OrderState, event: AnyEvent): OrderState {
 *     return OrderPlaced.is(event) ? { status: 'placed', totalAmount: event.data.totalAmount } : state;
 *   }
 *   place(customerName: string, totalAmount: number) {
 *     if (this.version > 0) throw new Error('Order already placed');
 *     this.applyEvent(OrderPlaced.create({ customerName, totalAmount }, this.nextEnvelope()));
 *   }
 * }
 * ```
 */
export abstract class AggregateRoot<State> {
  abstract readonly aggregateType: string;
  readonly aggregateId: string;
  #version = 0;
  #state: State | undefined;
  #uncommitted: AnyEvent[] = [];

  constructor(aggregateId: string) {
    this.aggregateId = aggregateId;
  }

  /** The number of events applied so far, committed or not. */
  get version(): number {
    return this.#version;
  }

  /** The current state; the initial state before any event. */
  get state(): State {
    // Lazy, so that subclass fields are initialized before getInitialState runs.
    return (this.#state ??= this.getInitialState());
  }

  /** Events applied since the last save. */
  get uncommittedEvents(): readonly AnyEvent[] {
    return this.#uncommitted;
  }

  /** The version the next event will have. */
  getNextVersion(): number {
    return this.#version + 1;
  }

  /** The envelope fields of the next event: aggregate id, type and version. */
  protected nextEnvelope(): { aggregateId: string; aggregateType: string; aggregateVersion: number } {
    return { aggregateId: this.aggregateId, aggregateType: this.aggregateType, aggregateVersion: this.getNextVersion() };
  }

  /** Applies a new event and records it for the next save. */
  protected applyEvent(event: AnyEvent): void {
    this.#fold(event);
    this.#uncommitted.push(event);
  }

  /** Rebuilds the state from stored events (they are not recorded as uncommitted). */
  loadFromHistory(events: Iterable<AnyEvent>): void {
    for (const event of events) this.#fold(event);
  }

  /** Forgets the uncommitted events once they are stored. */
  markEventsAsCommitted(): void {
    this.#uncommitted = [];
  }

  #fold(event: AnyEvent): void {
    this.#state = this.apply(this.state, event);
    this.#version = event.aggregateVersion ?? this.#version + 1;
  }

  /** The state before any event. */
  protected abstract getInitialState(): State;
  /** The state after `event`; return a new state rather than mutating. */
  protected abstract apply(state: State, event: AnyEvent): State;
}
