import type { Application, ApplicationClass, AppendOrigin } from './application.js';
import type { Unsubscribe } from './eventBus.js';
import { ProcessApplication } from './processApplication.js';
import { applicationOf, createApplications, type RunnerOptions } from './runnerApplications.js';
import type { Runner, System } from './system.js';

/**
 * Runs a system in the calling thread, one step at a time: when a command saves, every
 * follower processes what is new, transitively, before the command returns. So a read right
 * after a command sees its effects everywhere: for tests, development and simple apps.
 *
 * @example
 * ```ts
 * const runner = new SingleThreadedRunner(new System({ pipes: [[DogSchool, TrickCounters]] }));
 * await runner.start();
 * const school = runner.get(DogSchool);
 * const dogId = await school.registerDog('Fido');
 * await school.addTrick(dogId, 'roll over');
 * await runner.get(TrickCounters).getCount('roll over'); // 1, immediately
 * await runner.stop();
 * ```
 */
export class SingleThreadedRunner implements Runner {
  readonly system: System;
  readonly #options: RunnerOptions;
  #apps: Map<string, Application> | undefined;
  #stops: Unsubscribe[] = [];
  #settling: Promise<void> | undefined;
  #again = false;

  constructor(system: System, options: RunnerOptions = {}) {
    this.system = system;
    this.#options = options;
  }

  /** Makes the applications, and processes whatever their logs hold that was not processed yet. */
  async start(): Promise<void> {
    if (this.#apps !== undefined) return;
    this.#apps = createApplications(this.system, this.#options);
    for (const app of this.#apps.values()) this.#stops.push(app.onAppended((_stored, origin) => this.#onAppended(origin)));
    for (const app of this.#apps.values()) await app.runEventProcessors();
    await this.#settle();
  }

  async stop(): Promise<void> {
    await this.#settling;
    for (const stop of this.#stops) stop();
    this.#stops = [];
    for (const app of this.#apps?.values() ?? []) await app.stop();
    this.#apps = undefined;
  }

  get<A extends Application>(App: ApplicationClass<A>): A {
    return applicationOf(this.#apps, this.system, App);
  }

  #onAppended(origin: AppendOrigin): Promise<void> | undefined {
    // Appends made while settling only mark more work; awaiting the settle from inside it would deadlock.
    if (origin === 'process') {
      this.#again = true;
      return undefined;
    }
    return this.#settle();
  }

  /** Pulls every pipe until a full pass finds nothing new. */
  #settle(): Promise<void> {
    if (this.#settling !== undefined) {
      this.#again = true;
      return this.#settling;
    }
    const run = this.#pullAll().finally(() => (this.#settling = undefined));
    this.#settling = run;
    return run;
  }

  async #pullAll(): Promise<void> {
    do {
      this.#again = false;
      for (const { upstream, follower } of this.system.edges) {
        const apps = this.#apps;
        if (apps === undefined) return;
        const app = apps.get(follower);
        if (app instanceof ProcessApplication) await app.pull(upstream, apps.get(upstream)!.store);
      }
    } while (this.#again);
  }
}
