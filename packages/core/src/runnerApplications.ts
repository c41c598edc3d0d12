import type { Application, ApplicationClass, ApplicationOptions } from './application.js';
import { EventwireError } from './errors.js';
import type { EventStore } from './eventStore.js';
import { InMemoryEventStore } from './inMemoryEventStore.js';
import type { System } from './system.js';

/** Options of the in-process runners. */
export interface RunnerOptions {
  /**
   * The store of each application. Give a new runner the same stores to restart where the
   * last one stopped (see {@link inMemoryStores}).
   * @default a new InMemoryEventStore per application
   */
  store?: (name: string) => EventStore;
  /** More options per application: processors, delivery, reporter. */
  options?: (name: string) => Omit<ApplicationOptions, 'store' | 'name'>;
}

/**
 * One in-memory store per application name, the same one on every call: restart a system in
 * the same process and it goes on where it stopped.
 *
 * @example
 * ```ts
 * const stores = inMemoryStores();
 * const first = new SingleThreadedRunner(system, { store: stores });
 * // ... first.stop(); later:
 * const second = new SingleThreadedRunner(system, { store: stores }); // nothing processed twice
 * ```
 */
export function inMemoryStores(): (name: string) => InMemoryEventStore {
  const stores = new Map<string, InMemoryEventStore>();
  return (name) => {
    let store = stores.get(name);
    if (store === undefined) stores.set(name, (store = new InMemoryEventStore()));
    return store;
  };
}

/**
 * Makes every application of a system, by name.
 * @internal shared by the in-process runners
 */
export function createApplications(system: System, options: RunnerOptions): Map<string, Application> {
  const apps = new Map<string, Application>();
  for (const name of system.names) {
    const App = system.classOf(name);
    const store = options.store?.(name) ?? new InMemoryEventStore();
    apps.set(name, new App({ ...options.options?.(name), store, name }));
  }
  return apps;
}

/**
 * The running application of a class.
 * @internal
 */
export function applicationOf<A extends Application>(apps: ReadonlyMap<string, Application> | undefined, system: System, App: ApplicationClass<A>): A {
  if (apps === undefined) throw new EventwireError('INVALID_ARGUMENT', 'the runner is not started: call start() first');
  return apps.get(system.nameOf(App)) as A;
}
