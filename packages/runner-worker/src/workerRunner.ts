import { EventwireError, type Application, type ApplicationClass, type SerializedError, type System } from '@eventwire/core';
import * as Comlink from 'comlink';
import type { ApplicationHostApi } from './protocol.js';
import type { ProjectionHostApi } from './serveProjection.js';
import { WorkerProjection } from './workerProjection.js';

/** Options of {@link WorkerRunner}. */
export interface WorkerRunnerOptions {
  /**
   * Makes the dedicated worker of one application; the worker calls `serveApplications`.
   *
   * @example
   * ```ts
   * createWorker: (name) => new Worker(new URL('./app.worker.ts', import.meta.url), { type: 'module', name }),
   * ```
   */
  createWorker: (name: string) => Worker;
}

/**
 * Runs each application of a system in its own dedicated worker. Pipes are MessagePorts
 * between the workers (Comlink): a follower pulls its upstream's log and is woken after every
 * append, so the page thread does none of the work. `get(App)` returns the application through
 * Comlink: the same methods, each returning a promise.
 *
 * @example
 * ```ts
 * const runner = new WorkerRunner(dogSchoolSystem, {
 *   createWorker: (name) => new Worker(new URL('./app.worker.ts', import.meta.url), { type: 'module', name }),
 * });
 * await runner.start();
 * const dogId = await runner.get(DogSchool).registerDog('Fido');
 * await runner.get(DogSchool).addTrick(dogId, 'roll over');
 * await runner.settled();
 * await runner.get(TrickCounters).getCount('roll over'); // 1
 * ```
 */
export class WorkerRunner {
  readonly system: System;
  readonly #options: WorkerRunnerOptions;
  #workers = new Map<string, { worker: Worker; host: Comlink.Remote<ApplicationHostApi>; app: Comlink.Remote<Application> }>();
  #started = false;

  constructor(system: System, options: WorkerRunnerOptions) {
    this.system = system;
    this.#options = options;
  }

  /** Starts every worker, then joins the pipes; each follower catches up from its tracking. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    for (const name of this.system.names) {
      const worker = this.#options.createWorker(name);
      const host = Comlink.wrap<ApplicationHostApi>(worker);
      await host.start(name);
      const { port1, port2 } = new MessageChannel();
      await host.connect(Comlink.transfer(port2, [port2]));
      this.#workers.set(name, { worker, host, app: Comlink.wrap<Application>(port1) });
    }
    for (const { upstream, follower } of this.system.edges) {
      const { port1, port2 } = new MessageChannel();
      await this.#entry(upstream).host.serveLog(Comlink.transfer(port1, [port1]));
      await this.#entry(follower).host.follow(upstream, Comlink.transfer(port2, [port2]));
    }
  }

  /** The application of a class, in its worker: call its methods as usual, and await them. */
  get<A extends Application>(App: ApplicationClass<A>): Comlink.Remote<A> {
    if (!this.#started) throw new EventwireError('INVALID_ARGUMENT', 'the runner is not started: call start() first');
    return this.#entry(this.system.nameOf(App)).app as unknown as Comlink.Remote<A>;
  }

  /**
   * Runs a projection worker (one that calls `serveProjection`) on an application's log: it
   * catches up from its checkpoint, then follows every append. Resolves once caught up.
   */
  async project(App: ApplicationClass, worker: Worker): Promise<WorkerProjection> {
    const upstream = this.#entry(this.system.nameOf(App));
    const host = Comlink.wrap<ProjectionHostApi>(worker);
    const { port1, port2 } = new MessageChannel();
    await upstream.host.serveLog(Comlink.transfer(port1, [port1]));
    await host.follow(Comlink.transfer(port2, [port2]));
    return new WorkerProjection(worker, host, () => upstream.host.lastPosition());
  }

  /**
   * Resolves once every follower has processed everything upstream, transitively.
   * @throws the error that stopped a pipe (a policy failure, an event that did not decode)
   */
  async settled(): Promise<void> {
    for (let stable = false; !stable; ) {
      stable = true;
      for (const { upstream, follower } of this.system.edges) {
        const target = await this.#entry(upstream).host.lastPosition();
        const before = await this.#entry(follower).host.trackedPosition(upstream);
        if (before >= target) continue;
        stable = false;
        await this.#entry(follower).host.waitForTracked(upstream, target);
      }
    }
  }

  /** The pipes that stopped on an error, by follower. */
  async failures(): Promise<{ follower: string; upstream: string; error: SerializedError }[]> {
    const all = [];
    for (const [follower, { host }] of this.#workers) for (const failure of await host.failures()) all.push({ follower, ...failure });
    return all;
  }

  /** Stops the applications and terminates their workers. */
  async stop(): Promise<void> {
    for (const { worker, host } of this.#workers.values()) {
      await host.stop().catch(() => {});
      host[Comlink.releaseProxy]();
      worker.terminate();
    }
    this.#workers.clear();
    this.#started = false;
  }

  #entry(name: string) {
    const entry = this.#workers.get(name);
    if (entry === undefined) throw new EventwireError('INVALID_ARGUMENT', `no worker runs "${name}"`);
    return entry;
  }
}
