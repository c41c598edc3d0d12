import { EventwireError, ProjectionRunner, type CheckpointStore, type EventRegistry, type ProjectionHandler, type ProjectionRunnerStatus } from '@eventwire/core';
import * as Comlink from 'comlink';
import { sendErrorCodesThroughComlink } from './errorTransfer.js';
import type { LogServerApi } from './protocol.js';
import { RemoteLog } from './remoteLog.js';

/** Options of {@link serveProjection}. */
export interface ServeProjectionOptions<Tx> {
  /** The projection's name: its checkpoint. */
  name: string;
  /** Decodes the upstream events. */
  registry: EventRegistry;
  /**
   * Where the checkpoint is kept. With one that commits the read model and the checkpoint in one
   * IndexedDB transaction, each event is applied exactly once, across reloads.
   */
  checkpoints: () => CheckpointStore<Tx> | Promise<CheckpointStore<Tx>>;
  /** Applies one event to the read model, inside the checkpoint store's transaction. */
  handler: ProjectionHandler<Tx>;
  /** Events applied per checkpoint commit while catching up. @default 100 */
  batchSize?: number;
  /** Read-model queries the page may call through `WorkerProjection.query`. */
  queries?: Readonly<Record<string, (...args: never[]) => unknown>>;
  /** @default the worker's global scope */
  endpoint?: Comlink.Endpoint;
}

/** What a projection worker exposes to the page. */
export interface ProjectionHostApi {
  /** Follows the log served on `port`; resolves once caught up. */
  follow(port: MessagePort): Promise<void>;
  status(): ProjectionRunnerStatus | 'not-started';
  position(): number;
  /** Resolves once the projection has applied everything up to `position`. */
  waitFor(position: number): Promise<void>;
  query(name: string, args: readonly unknown[]): Promise<unknown>;
  stop(): void;
}

/**
 * The body of a projection worker: runs a `ProjectionRunner` on an application's log served by
 * the `WorkerRunner`, with its read model and checkpoint wherever `checkpoints` keeps them
 * (IndexedDB for durability). The page keeps its thread free and reads the read model through
 * `queries` (or straight from IndexedDB).
 *
 * @example
 * ```ts
 * // popularity.worker.ts
 * serveProjection({
 *   name: 'trick-popularity',
 *   registry: dogSchoolRegistry,
 *   checkpoints: () => new IndexedDBCheckpointStore(store, { stores: ['popularity'] }),
 *   handler: async ({ event }, tx) => { ... },
 *   queries: { count: (trick: string) => ... },
 * });
 * ```
 */
export function serveProjection<Tx>(options: ServeProjectionOptions<Tx>): void {
  sendErrorCodesThroughComlink();
  Comlink.expose(createProjectionHost(options), options.endpoint);
}

/** @internal the host, apart from exposing it */
export function createProjectionHost<Tx>(options: ServeProjectionOptions<Tx>): ProjectionHostApi {
  let runner: ProjectionRunner<Tx> | undefined;
  const running = (): ProjectionRunner<Tx> => {
    if (runner === undefined) throw new EventwireError('INVALID_ARGUMENT', `projection ${options.name} is not following a log yet`);
    return runner;
  };
  return {
    async follow(port) {
      if (runner !== undefined) throw new EventwireError('INVALID_ARGUMENT', `projection ${options.name} already follows a log`);
      const store = await RemoteLog.connect(Comlink.wrap<LogServerApi>(port), options.registry, Comlink.proxy);
      runner = new ProjectionRunner<Tx>({
        name: options.name,
        store,
        checkpoints: await options.checkpoints(),
        handler: options.handler,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      });
      await runner.start();
    },
    status: () => runner?.status ?? 'not-started',
    position: () => runner?.position ?? 0,
    waitFor: (position) => running().waitFor(position),
    async query(name, args) {
      const query = options.queries?.[name];
      if (query === undefined) throw new EventwireError('INVALID_ARGUMENT', `projection ${options.name} has no query "${name}"`);
      return (query as (...args: readonly unknown[]) => unknown)(...args);
    },
    stop: () => runner?.stop(),
  };
}
