import type { AnyEvent, EventProcessor } from '@eventwire/core';
import { describeError, describeEvent, describeEvents, plural, ScenarioFailure } from './scenarioFailure.js';

/** A check of the processor's state: return `false` (or throw) when it is wrong. */
export type StatePredicate<P> = (processor: P) => boolean | void | Promise<boolean | void>;

/**
 * Given/then for an event processor, as the reference's `processor_scenario`: hand it events
 * as synchronous delivery would, one after the other, then check its state.
 *
 * @param processor the processor, or a function that makes a fresh one
 * @returns the scenario; `await` its `shouldHaveState(...)`
 *
 * @example
 * ```ts
 * await processorScenario(() => new AccountBalances())
 *   .given(MoneyDeposited.create({ account: 'a-1', amount: 100 }))
 *   .shouldHaveState((p) => p.balanceOf('a-1') === 100);
 * ```
 */
export function processorScenario<P extends EventProcessor>(processor: P | (() => P)): ProcessorGiven<P> {
  return new ProcessorGiven(processor, []);
}

/** The "given" step of a processor scenario. */
export class ProcessorGiven<P extends EventProcessor> {
  readonly #processor: P | (() => P);
  readonly #events: readonly AnyEvent[];

  /** @internal */
  constructor(processor: P | (() => P), events: readonly AnyEvent[]) {
    this.#processor = processor;
    this.#events = events;
  }

  /** Events the processor handles, in order. */
  given(...events: readonly (AnyEvent | readonly AnyEvent[])[]): ProcessorGiven<P> {
    return new ProcessorGiven(this.#processor, [...this.#events, ...events.flat()]);
  }

  /**
   * Delivers the events, then checks the state. The predicate fails the scenario by
   * returning `false` or by throwing (an `expect` inside it works too).
   * @returns the processor, for further checks
   * @throws {ScenarioFailure} naming the event that failed, or showing the processor's state
   */
  async shouldHaveState(predicate: StatePredicate<P>): Promise<P> {
    const processor = typeof this.#processor === 'function' ? this.#processor() : this.#processor;
    for (const [index, event] of this.#events.entries()) {
      try {
        await processor.handle(event);
      } catch (error) {
        throw new ScenarioFailure(
          `${processor.name} failed on given event #${index + 1} (${describeEvent(event)}): ${describeError(error)}\n${this.#describeGiven()}`,
          'every given event handled',
          `event #${index + 1} failed: ${describeError(error)}`,
        );
      }
    }
    let verdict: boolean | void;
    try {
      verdict = await predicate(processor);
    } catch (error) {
      throw new ScenarioFailure(`${processor.name} does not have the expected state: ${describeError(error)}\n${this.#describeGiven()}\nState: ${describeState(processor)}`, String(predicate), describeState(processor));
    }
    if (verdict === false) {
      throw new ScenarioFailure(
        `${processor.name} does not have the expected state.\nExpected: ${String(predicate)}\n${this.#describeGiven()}\nState: ${describeState(processor)}`,
        String(predicate),
        describeState(processor),
      );
    }
    return processor;
  }

  #describeGiven(): string {
    return `Given ${plural(this.#events.length)}:\n${describeEvents(this.#events)}`;
  }
}

/** The processor's own enumerable fields as JSON, Maps and Sets included. */
function describeState(processor: object): string {
  try {
    return JSON.stringify(processor, (_key, value: unknown) => (value instanceof Map ? Object.fromEntries(value) : value instanceof Set ? [...value] : value));
  } catch {
    return '(not serializable)';
  }
}
