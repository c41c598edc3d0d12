import type { Application, ApplicationClass } from './application.js';
import { EventwireError } from './errors.js';
import { ProcessApplication } from './processApplication.js';

/** Options of {@link System}. */
export interface SystemOptions {
  /**
   * Chains of applications: in `[A, B, C]`, B follows A's log and C follows B's. An
   * application may appear in several pipes; every follower must be a `ProcessApplication`.
   */
  pipes: readonly (readonly ApplicationClass[])[];
}

/** One link of a pipe: `follower` processes the events of `upstream`. */
export interface SystemEdge {
  readonly upstream: string;
  readonly follower: string;
}

/**
 * The topology of applications joined by pipes, as in the reference's `System`. It says who
 * follows whom; a runner (`SingleThreadedRunner`, `ConcurrentRunner`, the worker runner)
 * makes the applications and moves the events.
 *
 * @example
 * ```ts
 * const system = new System({ pipes: [[DogSchool, TrickCounters]] });
 * const runner = new SingleThreadedRunner(system);
 * await runner.start();
 * ```
 */
export class System {
  readonly #classes = new Map<string, ApplicationClass>();
  readonly #edges: SystemEdge[] = [];

  constructor(options: SystemOptions) {
    if (!Array.isArray(options?.pipes) || options.pipes.length === 0) {
      throw new EventwireError('INVALID_ARGUMENT', 'System: pipes must be a non-empty array of application chains');
    }
    for (const pipe of options.pipes) this.#addPipe(pipe);
  }

  /** The applications' names, in order of first appearance. */
  get names(): string[] {
    return [...this.#classes.keys()];
  }

  /** Every link, in order of first appearance. */
  get edges(): readonly SystemEdge[] {
    return this.#edges;
  }

  /** The name a runner gives an application class: its `applicationName`, else its class name. */
  nameOf(App: ApplicationClass): string {
    for (const [name, known] of this.#classes) if (known === App) return name;
    throw new EventwireError('INVALID_ARGUMENT', `${App.name} is not in this system`);
  }

  /** The class of an application by name. */
  classOf(name: string): ApplicationClass {
    const App = this.#classes.get(name);
    if (App === undefined) throw new EventwireError('INVALID_ARGUMENT', `no application named "${name}" in this system`);
    return App;
  }

  /** The names of the applications `name` follows. */
  upstreamsOf(name: string): string[] {
    return this.#edges.filter((edge) => edge.follower === name).map((edge) => edge.upstream);
  }

  /** The names of the applications that follow `name`. */
  followersOf(name: string): string[] {
    return this.#edges.filter((edge) => edge.upstream === name).map((edge) => edge.follower);
  }

  #addPipe(pipe: readonly ApplicationClass[]): void {
    if (!Array.isArray(pipe) || pipe.length === 0) throw new EventwireError('INVALID_ARGUMENT', 'System: each pipe lists at least one application');
    pipe.forEach((App, index) => {
      const name = this.#register(App);
      if (index === 0) return;
      if (!(App.prototype instanceof ProcessApplication)) {
        throw new EventwireError('INVALID_ARGUMENT', `System: ${name} follows another application, so it must extend ProcessApplication`);
      }
      const upstream = this.nameOf(pipe[index - 1]!);
      if (upstream === name) throw new EventwireError('INVALID_ARGUMENT', `System: ${name} cannot follow itself`);
      if (!this.#edges.some((edge) => edge.upstream === upstream && edge.follower === name)) this.#edges.push({ upstream, follower: name });
    });
  }

  #register(App: ApplicationClass): string {
    if (typeof App !== 'function') throw new EventwireError('INVALID_ARGUMENT', 'System: pipes list application classes');
    const name = App.applicationName ?? App.name;
    const known = this.#classes.get(name);
    if (known !== undefined && known !== App) throw new EventwireError('INVALID_ARGUMENT', `System: two applications are named "${name}"`);
    this.#classes.set(name, App);
    return name;
  }
}

/** What every runner offers: start, stop, and the running application of a class. */
export interface Runner {
  start(): Promise<void>;
  stop(): Promise<void>;
  get<A extends Application>(App: ApplicationClass<A>): A;
}
