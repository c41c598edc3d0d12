import {
  ConcurrentRunner,
  EventwireError,
  inMemoryStores,
  SingleThreadedRunner,
  type AnyEvent,
  type Application,
  type ApplicationClass,
  type Runner,
  type System,
} from '@eventwire/core';
import { describeMatcher, errorMatches, type ErrorMatcher } from './errorMatcher.js';
import { assertEvents, describeError, describeEvents, ScenarioFailure, type ExpectedEvent } from './scenarioFailure.js';

/** Options of {@link systemScenario}. */
export interface SystemScenarioOptions {
  /** Which in-process runner runs the system. @default 'single-threaded' */
  runner?: 'single-threaded' | 'concurrent';
}

/** What the "when" step did: the events each application stored during it, and any error. */
export interface SystemOutcome {
  readonly events: Readonly<Record<string, readonly AnyEvent[]>>;
  readonly error: unknown;
  readonly threw: boolean;
}

type RunnerHandle = Runner & { settled?: () => Promise<void> };

/**
 * Given/when/then for a whole system: seed applications with past events, run commands
 * through a runner, then check the events each application stored, or the state.
 *
 * @example
 * ```ts
 * await systemScenario(dogSchoolSystem)
 *   .given(DogSchool, DogRegistered.create({ name: 'Fido' }, { aggregateId: 'fido', aggregateVersion: 1 }))
 *   .when((runner) => runner.get(DogSchool).addTrick('fido', 'sit'))
 *   .then(TrickCounters, CounterStarted.create({ trick: 'sit' }), CounterIncremented.create({ trick: 'sit' }));
 * ```
 */
export function systemScenario(system: System, options: SystemScenarioOptions = {}): SystemGiven {
  return new SystemGiven(system, options, []);
}

/** The "given" step of a system scenario. */
export class SystemGiven {
  readonly #system: System;
  readonly #options: SystemScenarioOptions;
  readonly #seeds: readonly { app: string; events: readonly AnyEvent[] }[];

  /** @internal */
  constructor(system: System, options: SystemScenarioOptions, seeds: readonly { app: string; events: readonly AnyEvent[] }[]) {
    this.#system = system;
    this.#options = options;
    this.#seeds = seeds;
  }

  /** Past events of an application, stored in their aggregates' streams before the runner starts. */
  given(App: ApplicationClass, ...events: readonly (AnyEvent | readonly AnyEvent[])[]): SystemGiven {
    return new SystemGiven(this.#system, this.#options, [...this.#seeds, { app: this.#system.nameOf(App), events: events.flat() }]);
  }

  /** The commands, run against the started runner. */
  when(commands: (runner: RunnerHandle) => unknown): SystemWhen {
    return new SystemWhen(this.#system, this.#options, this.#seeds, commands);
  }
}

/** The "when" step of a system scenario. */
export class SystemWhen {
  readonly #system: System;
  readonly #options: SystemScenarioOptions;
  readonly #seeds: readonly { app: string; events: readonly AnyEvent[] }[];
  readonly #commands: (runner: RunnerHandle) => unknown;

  /** @internal */
  constructor(system: System, options: SystemScenarioOptions, seeds: readonly { app: string; events: readonly AnyEvent[] }[], commands: (runner: RunnerHandle) => unknown) {
    this.#system = system;
    this.#options = options;
    this.#seeds = seeds;
    this.#commands = commands;
  }

  /**
   * Expects exactly these events to be stored by `App` during the "when" step.
   * @throws {ScenarioFailure} listing the expected and actual events
   */
  then(App: ApplicationClass, ...expected: readonly ExpectedEvent[]): Promise<void> {
    // Plain JavaScript may still `await` this object: it then calls then(resolve, reject).
    if (!isApplicationClass(App)) return this.outcome().then(App as never, expected[0] as never);
    return this.outcome().then((outcome) => {
      const name = this.#system.nameOf(App);
      if (outcome.threw) {
        throw new ScenarioFailure(`Expected ${name} to store events, but the commands threw ${describeError(outcome.error)}`, describeEvents(expected), describeError(outcome.error));
      }
      assertEvents(`System scenario, events stored by ${name}`, outcome.events[name] ?? [], expected);
    });
  }

  /** Runs the scenario and returns what each application stored, to check it yourself. */
  outcome(): Promise<SystemOutcome> {
    return this.#run(async () => undefined);
  }

  /** Expects the commands to throw a matching error. */
  async thenThrows(matcher: ErrorMatcher): Promise<void> {
    const outcome = await this.#run(async () => undefined);
    if (!outcome.threw) throw new ScenarioFailure(`Expected the commands to throw ${describeMatcher(matcher)}, but they succeeded`, describeMatcher(matcher), 'no error');
    if (!errorMatches(outcome.error, matcher)) {
      throw new ScenarioFailure(`Expected the commands to throw ${describeMatcher(matcher)}, but they threw ${describeError(outcome.error)}`, describeMatcher(matcher), describeError(outcome.error));
    }
  }

  /**
   * Checks the running system once everything settled: return `false` or throw when wrong.
   * @throws {ScenarioFailure} showing the events each application stored
   */
  async shouldHaveState(predicate: (runner: RunnerHandle) => boolean | void | Promise<boolean | void>): Promise<void> {
    let failure: string | undefined;
    const outcome = await this.#run(async (runner) => {
      try {
        if ((await predicate(runner)) === false) failure = `the predicate returned false: ${String(predicate)}`;
      } catch (error) {
        failure = describeError(error);
      }
    });
    if (outcome.threw) throw new ScenarioFailure(`The commands threw ${describeError(outcome.error)}`, 'no error', describeError(outcome.error));
    if (failure !== undefined) {
      const stored = Object.entries(outcome.events).map(([name, events]) => `${name} stored:\n${describeEvents(events)}`);
      throw new ScenarioFailure(`The system does not have the expected state: ${failure}\n${stored.join('\n')}`, String(predicate), stored.join('\n'));
    }
  }

  async #run(check: (runner: RunnerHandle) => Promise<void>): Promise<SystemOutcome> {
    const stores = inMemoryStores();
    for (const { app, events } of this.#seeds) await seed(stores(app), app, events);
    const runner: RunnerHandle = this.#options.runner === 'concurrent' ? new ConcurrentRunner(this.#system, { store: stores }) : new SingleThreadedRunner(this.#system, { store: stores });
    await runner.start();
    await runner.settled?.();
    const marks = new Map<string, number>();
    for (const name of this.#system.names) marks.set(name, await stores(name).getLastPosition());
    let error: unknown;
    let threw = false;
    try {
      await this.#commands(runner);
      await runner.settled?.();
    } catch (caught) {
      error = caught;
      threw = true;
    }
    if (!threw) await check(runner);
    const events: Record<string, readonly AnyEvent[]> = {};
    for (const name of this.#system.names) events[name] = (await stores(name).readAll({ fromPosition: marks.get(name)! + 1 })).map((s) => s.event);
    await runner.stop();
    return { events, error, threw };
  }
}

async function seed(store: ReturnType<ReturnType<typeof inMemoryStores>>, app: string, events: readonly AnyEvent[]): Promise<void> {
  for (const event of events) {
    if (event.aggregateId === undefined || event.aggregateType === undefined) {
      throw new EventwireError('INVALID_ARGUMENT', `systemScenario.given(${app}): ${event.type} needs an aggregateId and an aggregateType to be stored in its stream`);
    }
    await store.append(`${event.aggregateType}-${event.aggregateId}`, [event]);
  }
}

function isApplicationClass(value: unknown): value is ApplicationClass<Application> {
  return typeof value === 'function' && 'prototype' in value && typeof (value.prototype as { save?: unknown }).save === 'function';
}
