import type { AggregateRoot, AnyEvent } from '@eventwire/core';
import { describeMatcher, errorMatches, type ErrorMatcher } from './errorMatcher.js';
import { assertEvents, describeError, describeEvents, plural, ScenarioFailure, type ExpectedEvent } from './scenarioFailure.js';

/** What a command did to the aggregate. */
export interface AggregateOutcome<A> {
  readonly aggregate: A;
  /** The events the command applied. */
  readonly events: readonly AnyEvent[];
  /** What the command threw, if it did. */
  readonly error: unknown;
  readonly threw: boolean;
}

/** Options of {@link aggregateScenario}. */
export interface AggregateScenarioOptions {
  /** @default the `aggregateId` of the first given event, else `'scenario-aggregate'` */
  aggregateId?: string;
}

/**
 * Given/when/then for an aggregate: rebuild it from past events, run a command, and check the
 * events it applied, or the error it threw. Failures list the expected and the actual events.
 *
 * @param Aggregate the aggregate class (constructed with the aggregate id)
 * @returns the scenario; `await` its `then(...)` or `thenThrows(...)`
 *
 * @example
 * ```ts
 * await aggregateScenario(Dog)
 *   .given(DogRegistered.create({ name: 'Fido' }, { aggregateId: 'fido', aggregateVersion: 1 }))
 *   .when((dog) => dog.addTrick('roll over'))
 *   .then(TrickAdded.create({ trick: 'roll over' }));
 *
 * await aggregateScenario(Dog)
 *   .when((dog) => dog.addTrick('sit'))
 *   .thenThrows('AGGREGATE_NOT_FOUND');
 * ```
 */
export function aggregateScenario<A extends AggregateRoot<unknown>>(Aggregate: new (aggregateId: string) => A, options: AggregateScenarioOptions = {}): AggregateGiven<A> {
  return new AggregateGiven(Aggregate, options, []);
}

/** The "given" step: past events. */
export class AggregateGiven<A extends AggregateRoot<unknown>> {
  readonly #Aggregate: new (aggregateId: string) => A;
  readonly #options: AggregateScenarioOptions;
  readonly #history: readonly AnyEvent[];

  /** @internal */
  constructor(Aggregate: new (aggregateId: string) => A, options: AggregateScenarioOptions, history: readonly AnyEvent[]) {
    this.#Aggregate = Aggregate;
    this.#options = options;
    this.#history = history;
  }

  /** Past events, applied in order before the command. */
  given(...events: readonly (AnyEvent | readonly AnyEvent[])[]): AggregateGiven<A> {
    return new AggregateGiven(this.#Aggregate, this.#options, [...this.#history, ...events.flat()]);
  }

  /** The command: a function that calls the aggregate (it may be async). */
  when(command: (aggregate: A) => unknown): AggregateWhen<A> {
    const aggregateId = this.#options.aggregateId ?? this.#history[0]?.aggregateId ?? 'scenario-aggregate';
    const aggregate = new this.#Aggregate(aggregateId);
    aggregate.loadFromHistory(this.#history);
    return new AggregateWhen(aggregate, command, this.#history);
  }
}

/** The "when" step; `then` checks the events, `thenThrows` the error. */
export class AggregateWhen<A extends AggregateRoot<unknown>> {
  readonly #outcome: Promise<AggregateOutcome<A>>;
  readonly #history: readonly AnyEvent[];

  /** @internal */
  constructor(aggregate: A, command: (aggregate: A) => unknown, history: readonly AnyEvent[]) {
    this.#history = history;
    this.#outcome = (async () => {
      try {
        await command(aggregate);
        return { aggregate, events: [...aggregate.uncommittedEvents], error: undefined, threw: false };
      } catch (error) {
        return { aggregate, events: [...aggregate.uncommittedEvents], error, threw: true };
      }
    })();
  }

  /**
   * Expects exactly these events, in order (type and data compared; ids, times and versions are
   * not). TypeScript refuses `await scenario.when(...)` without it, on purpose: use `outcome()`
   * to look at the result yourself.
   * @throws {ScenarioFailure} listing the expected and actual events
   */
  then(...expected: readonly ExpectedEvent[]): Promise<void> {
    // Plain JavaScript may still `await` this object: it then calls then(resolve, reject).
    if (expected.length > 0 && expected.every((arg) => typeof arg === 'function')) {
      return this.#outcome.then(expected[0] as never, expected[1] as never);
    }
    return this.#expectEvents(expected);
  }

  /** What the command did, to check it yourself. */
  outcome(): Promise<AggregateOutcome<A>> {
    return this.#outcome;
  }

  /**
   * Expects the command to throw an error that matches.
   * @throws {ScenarioFailure} when it did not throw, or threw something else
   */
  async thenThrows(matcher: ErrorMatcher): Promise<void> {
    const outcome = await this.#outcome;
    if (!outcome.threw) {
      const actual = describeEvents(outcome.events);
      throw new ScenarioFailure(
        `Expected the command to throw ${describeMatcher(matcher)}, but it succeeded with ${plural(outcome.events.length)}:\n${actual}\n${this.#given()}`,
        describeMatcher(matcher),
        actual,
      );
    }
    if (!errorMatches(outcome.error, matcher)) {
      throw new ScenarioFailure(`Expected the command to throw ${describeMatcher(matcher)}, but it threw ${describeError(outcome.error)}\n${this.#given()}`, describeMatcher(matcher), describeError(outcome.error));
    }
  }

  async #expectEvents(expected: readonly ExpectedEvent[]): Promise<void> {
    const outcome = await this.#outcome;
    if (outcome.threw) {
      throw new ScenarioFailure(
        `Expected ${plural(expected.length)}, but the command threw ${describeError(outcome.error)}\nExpected:\n${describeEvents(expected)}\n${this.#given()}`,
        describeEvents(expected),
        describeError(outcome.error),
      );
    }
    assertEvents('Aggregate scenario', outcome.events, expected);
  }

  #given(): string {
    return `Given ${plural(this.#history.length)}:\n${describeEvents(this.#history)}`;
  }
}
