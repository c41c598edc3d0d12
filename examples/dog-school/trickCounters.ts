import { ProcessApplication, type ApplicationOptions } from '@eventwire/core';
import { Counter } from './counter.js';
import { TrickAdded } from './events.js';

/** Counts the tricks learned across all dogs: follows the dog school's log. */
export class TrickCounters extends ProcessApplication {
  static readonly applicationName = 'TrickCounters';
  readonly #counters = this.repository(Counter);

  constructor(options?: ApplicationOptions) {
    super(options);
    // The decorator-free form of `@handles(TrickAdded) onTrickAdded(event, processing)`.
    this.on(TrickAdded, async (event, processing) => {
      const counter = (await this.#counters.tryLoad(event.data.trick)) ?? Counter.start(event.data.trick);
      counter.increment();
      processing.collectEvents(counter);
    });
  }

  async getCount(trick: string): Promise<number> {
    return (await this.#counters.tryLoad(trick))?.count ?? 0;
  }

  /** Every counter, by trick. */
  async getCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const { streamId, event } of await this.store.readAll()) {
      if (event.type === 'CounterIncremented') counts[streamId.slice('Counter-'.length)] = (counts[streamId.slice('Counter-'.length)] ?? 0) + 1;
    }
    return counts;
  }
}
