import { AggregateRoot, type AnyEvent } from '@eventwire/core';
import { CounterIncremented, CounterStarted } from './events.js';

/** How many dogs learned one trick. The trick is the counter's id. */
export class Counter extends AggregateRoot<{ readonly count: number }> {
  readonly aggregateType = 'Counter';

  static start(trick: string): Counter {
    const counter = new Counter(trick);
    counter.applyEvent(CounterStarted.create({ trick }, counter.nextEnvelope()));
    return counter;
  }

  increment(): void {
    this.applyEvent(CounterIncremented.create({ trick: this.aggregateId }, this.nextEnvelope()));
  }

  get count(): number {
    return this.state.count;
  }

  protected getInitialState() {
    return { count: 0 };
  }

  protected apply(state: { readonly count: number }, event: AnyEvent) {
    return CounterIncremented.is(event) ? { count: state.count + 1 } : state;
  }
}
