import {
  EventwireError,
  ProcessApplication,
  serializeError,
  type Application,
  type ApplicationOptions,
  type EventRegistry,
  type EventStore,
  type System,
} from '@eventwire/core';
import * as Comlink from 'comlink';
import { sendErrorCodesThroughComlink } from './errorTransfer.js';
import { LogFollower } from './logFollower.js';
import { LogServer } from './logServer.js';
import type { ApplicationHostApi, LogServerApi, PipeFailure } from './protocol.js';

/** Options of {@link serveApplications}. */
export interface ServeApplicationsOptions {
  /**
   * The store of an application, opened in the worker. For exactly-once processing across
   * reloads, a durable `TrackingEventStore` (IndexedDB).
   */
  store: (name: string) => EventStore | Promise<EventStore>;
  /** Decodes the upstream events that arrive from other workers. */
  registry: EventRegistry;
  /** More options per application: processors, delivery, reporter. */
  options?: (name: string) => Omit<ApplicationOptions, 'store' | 'name'>;
  /** Where the host is exposed. @default the worker's global scope */
  endpoint?: Comlink.Endpoint;
}

/**
 * The body of an application worker: serves whichever application of the system the
 * `WorkerRunner` asks it to run. One module can serve every application of a system.
 *
 * @example
 * ```ts
 * // app.worker.ts
 * import { serveApplications } from '@eventwire/runner-worker';
 * import { IndexedDBEventStore } from '@eventwire/store-idb';
 * serveApplications(dogSchoolSystem, {
 *   store: (name) => IndexedDBEventStore.open({ name: `dog-school/${name}` }),
 *   registry: dogSchoolRegistry,
 * });
 * ```
 */
export function serveApplications(system: System, options: ServeApplicationsOptions): void {
  sendErrorCodesThroughComlink();
  Comlink.expose(createApplicationHost(system, options), options.endpoint);
}

/** @internal the host, apart from exposing it (for tests in one thread) */
export function createApplicationHost(system: System, options: ServeApplicationsOptions): ApplicationHostApi {
  let app: Application | undefined;
  const followers = new Map<string, LogFollower>();
  const servers: LogServer[] = [];
  const running = (): Application => {
    if (app === undefined) throw new EventwireError('INVALID_ARGUMENT', 'the application worker is not started');
    return app;
  };
  const follower = (upstream: string): LogFollower => {
    const found = followers.get(upstream);
    if (found === undefined) throw new EventwireError('INVALID_ARGUMENT', `${running().name} does not follow ${upstream}`);
    return found;
  };

  return {
    async start(name) {
      if (app !== undefined) throw new EventwireError('INVALID_ARGUMENT', `this worker already runs ${app.name}`);
      const App = system.classOf(name);
      app = new App({ ...options.options?.(name), store: await options.store(name), name });
      await app.runEventProcessors();
    },
    connect(port) {
      Comlink.expose(running(), port);
    },
    serveLog(port) {
      const server = new LogServer(running());
      servers.push(server);
      Comlink.expose(server, port);
    },
    async follow(upstream, port) {
      const current = running();
      if (!(current instanceof ProcessApplication)) throw new EventwireError('INVALID_ARGUMENT', `${current.name} is not a ProcessApplication`);
      const remote = Comlink.wrap<LogServerApi>(port);
      const pipe = new LogFollower(current, upstream, remote, options.registry);
      followers.set(upstream, pipe);
      await remote.onAppend(Comlink.proxy(() => void pipe.pull()));
      await pipe.pull();
    },
    lastPosition: () => running().store.getLastPosition(),
    trackedPosition: async (upstream) => {
      const current = running();
      return current instanceof ProcessApplication ? current.trackedPosition(upstream) : 0;
    },
    waitForTracked: (upstream, position) => follower(upstream).waitFor(position),
    failures: (): PipeFailure[] =>
      [...followers.values()].filter((pipe) => pipe.failure !== undefined).map((pipe) => ({ upstream: pipe.upstream, error: serializeError(pipe.failure) })),
    async stop() {
      for (const server of servers.splice(0)) server.close();
      await app?.stop();
      await app?.store.close?.();
    },
  };
}
