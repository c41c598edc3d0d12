import { EventwireError, ProjectionRunner, type CheckpointStore, type EventRegistry, type EventStore, type ProjectionHandler, type ProjectionRunnerStatus } from '@eventwire/core';
import * as Comlink from 'comlink';
import { sendErrorCodesThroughComlink } from './errorTransfer.js';
import type { LogServerApi } from './protocol.js';
import { RemoteLog } from './remoteLog.js';

/** Options of {@link serveProjection}. */
export interface ServeProjectionOptions<Tx> {
  /** The projection's name: its checkpoint. */
  name: string;
  /** Decodes the upstream events that arrive from another worker (with `runner.project`). */
  registry: EventRegistry;
  /**
   * A store this worker opens itself (an `IndexedDBEventStore` of the same origin, which
   * follows appends from every tab and worker): `WorkerProjection.start(worker)` runs the
   * projection on it, without a `WorkerRunner`.
   */
  store?: () => EventStore | Promise<EventStore>;
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
  /** Follows the worker's own `store`; resolves once caught up. */
  start(): Promise<void>;
  /** The last position of the log followed. */
  lastPosition(): Promise<number>;
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
  let source: EventStore | undefined;
  const run = async (store: EventStore): Promise<void> => {
    if (runner !== undefined) throw new EventwireError('INVALID_ARGUMENT', `projection ${options.name} already follows a log`);
    source = store;
    runner = new ProjectionRunner<Tx>({
      name: options.name,
      store,
      checkpoints: await options.checkpoints(),
      handler: options.handler,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
    await runner.start();
  };
  const running = (): ProjectionRunner<Tx> => {
    if (runner === undefined) throw new EventwireError('INVALID_ARGUMENT', `projection ${options.name} is not following a log yet`);
    return runner;
  };
  return {
    async follow(port) {
      await run(await RemoteLog.connect(Comlink.wrap<LogServerApi>(port), options.registry, Comlink.proxy));
    },
    async start() {
      if (options.store === undefined) throw new EventwireError('INVALID_ARGUMENT', `projection ${options.name} has no store of its own: use runner.project(App, worker)`);
      await run(await options.store());
    },
    lastPosition: async () => (source === undefined ? 0 : source.getLastPosition()),
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
