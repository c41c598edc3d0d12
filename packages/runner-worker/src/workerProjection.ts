import type { ProjectionRunnerStatus } from '@eventwire/core';
import * as Comlink from 'comlink';
import type { ProjectionHostApi } from './serveProjection.js';

/**
 * A projection running in its own worker (see `serveProjection`), as the page sees it. Made by
 * `WorkerRunner.project(App, worker)`.
 *
 * @example
 * ```ts
 * const popularity = await runner.project(DogSchool, new Worker(new URL('./popularity.worker.ts', import.meta.url), { type: 'module' }));
 * await popularity.settled();
 * await popularity.query('count', 'roll over'); // 3
 * ```
 */
export class WorkerProjection {
  readonly #worker: Worker;
  readonly #host: Comlink.Remote<ProjectionHostApi>;
  readonly #upstreamPosition: () => Promise<number>;

  /** @internal */
  constructor(worker: Worker, host: Comlink.Remote<ProjectionHostApi>, upstreamPosition: () => Promise<number>) {
    this.#worker = worker;
    this.#host = host;
    this.#upstreamPosition = upstreamPosition;
  }

  /**
   * Runs a projection worker on the store it opens itself (its `store` option), without a
   * `WorkerRunner`; resolves once caught up.
   *
   * @example
   * ```ts
   * const popularity = await WorkerProjection.start(new Worker(new URL('./popularity.worker.ts', import.meta.url), { type: 'module' }));
   * ```
   */
  static async start(worker: Worker): Promise<WorkerProjection> {
    const host = Comlink.wrap<ProjectionHostApi>(worker);
    await host.start();
    return new WorkerProjection(worker, host, () => host.lastPosition());
  }

  status(): Promise<ProjectionRunnerStatus | 'not-started'> {
    return this.#host.status();
  }

  /** The position of the last event applied: the checkpoint. */
  position(): Promise<number> {
    return this.#host.position();
  }

  waitFor(position: number): Promise<void> {
    return this.#host.waitFor(position);
  }

  /** Resolves once the projection has applied everything its application has stored so far. */
  async settled(): Promise<void> {
    await this.#host.waitFor(await this.#upstreamPosition());
  }

  /** Calls one of the projection's read-model queries. */
  query<T = unknown>(name: string, ...args: readonly unknown[]): Promise<T> {
    return this.#host.query(name, args) as Promise<T>;
  }

  /** Stops the projection and terminates its worker; the checkpoint stays. */
  async stop(): Promise<void> {
    await this.#host.stop().catch(() => {});
    this.#host[Comlink.releaseProxy]();
    this.#worker.terminate();
  }
}
