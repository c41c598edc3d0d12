import type { Application, ApplicationClass } from './application.js';
import type { Unsubscribe } from './eventBus.js';
import type { StoredEvent } from './eventStore.js';
import { ProcessApplication } from './processApplication.js';
import { RetryPolicy } from './retryPolicy.js';
import { applicationOf, createApplications, type RunnerOptions } from './runnerApplications.js';
import { runtime } from './runtimeGlobals.js';
import type { Runner, System, SystemEdge } from './system.js';

/** Options of {@link ConcurrentRunner}. */
export interface ConcurrentRunnerOptions extends RunnerOptions {
  /**
   * How a failing policy is retried before its pipe stops (a process application never skips an
   * upstream event). @default 3 attempts, exponential backoff from 50 ms
   */
  retry?: RetryPolicy;
  /** Called when a pipe stops on an error. @default console.error */
  onError?: (error: unknown, edge: SystemEdge, stored: StoredEvent) => void;
}

/**
 * Runs a system with each follower progressing on its own: commands return once their events
 * are stored, and every pipe follows its upstream log live, like the reference's
 * `MultiThreadedRunner` (JavaScript interleaves the applications on one event loop; the
 * worker runner gives each its own thread). `settled()` waits until everything is processed.
 *
 * @example
 * ```ts
 * const runner = new ConcurrentRunner(system);
 * await runner.start();
 * await runner.get(DogSchool).addTrick(dogId, 'roll over'); // returns once stored
 * await runner.settled();
 * await runner.get(TrickCounters).getCount('roll over'); // 1
 * ```
 */
export class ConcurrentRunner implements Runner {
  readonly system: System;
  readonly #options: ConcurrentRunnerOptions;
  readonly #retry: RetryPolicy;
  #apps: Map<string, Application> | undefined;
  #stops: Unsubscribe[] = [];
  #failures: { edge: SystemEdge; error: unknown }[] = [];
  #progress: (() => void)[] = [];

  constructor(system: System, options: ConcurrentRunnerOptions = {}) {
    this.system = system;
    this.#options = options;
    this.#retry = options.retry ?? new RetryPolicy({ attempts: 3, backoff: 'exponential', initialDelayMs: 50 });
  }

  /** The pipes that stopped on an error, with the error. */
  get failures(): readonly { edge: SystemEdge; error: unknown }[] {
    return this.#failures;
  }

  async start(): Promise<void> {
    if (this.#apps !== undefined) return;
    const apps = (this.#apps = createApplications(this.system, this.#options));
    for (const app of apps.values()) this.#stops.push(app.onAppended(() => this.#notifyProgress()));
    for (const app of apps.values()) await app.runEventProcessors();
    for (const edge of this.system.edges) {
      const follower = apps.get(edge.follower);
      if (follower instanceof ProcessApplication) this.#stops.push(await this.#follow(edge, follower, apps.get(edge.upstream)!));
    }
  }

  async stop(): Promise<void> {
    for (const stop of this.#stops) stop();
    this.#stops = [];
    for (const app of this.#apps?.values() ?? []) await app.stop();
    this.#apps = undefined;
    this.#notifyProgress();
  }

  get<A extends Application>(App: ApplicationClass<A>): A {
    return applicationOf(this.#apps, this.system, App);
  }

  /**
   * Resolves once every follower has processed everything its upstream holds, transitively.
   * @throws the first pipe failure, if a pipe stopped
   */
  async settled(): Promise<void> {
    for (;;) {
      const apps = this.#apps;
      if (apps === undefined) return;
      if (this.#failures.length > 0) throw this.#failures[0]!.error;
      // Registered before the check, so that progress made during the check is not missed.
      const progressed = new Promise<void>((resolve) => this.#progress.push(resolve));
      let behind = false;
      for (const { upstream, follower } of this.system.edges) {
        const app = apps.get(follower);
        if (!(app instanceof ProcessApplication)) continue;
        if ((await app.trackedPosition(upstream)) < (await apps.get(upstream)!.store.getLastPosition())) behind = true;
      }
      if (!behind) return;
      await progressed;
    }
  }

  async #follow(edge: SystemEdge, follower: ProcessApplication, upstream: Application): Promise<Unsubscribe> {
    const from = (await follower.trackedPosition(edge.upstream)) + 1;
    const receive = async (stored: StoredEvent) => {
      await this.#retry.run(() => follower.receive(edge.upstream, stored));
      // Also when the event was skipped (another runner processed it): `settled` re-checks.
      this.#notifyProgress();
    };
    return upstream.store.subscribe(receive, {
      fromPosition: from,
      onError: (error, stored) => {
        this.#failures.push({ edge, error });
        (this.#options.onError ?? logFailure)(error, edge, stored);
        this.#notifyProgress();
      },
    });
  }

  #notifyProgress(): void {
    const waiting = this.#progress;
    this.#progress = [];
    for (const resolve of waiting) resolve();
  }
}

function logFailure(error: unknown, edge: SystemEdge): void {
  runtime.console.error(`[eventwire] ${edge.follower} stopped following ${edge.upstream}`, error);
}
