import { isEventwireError, reportTo, requireWebLocks, type InspectionReporter, type Unsubscribe } from '@eventwire/core';
import { nanoid } from 'nanoid';

/** Options of {@link electLeader}. */
export interface ElectLeaderOptions {
  /** Receives a `leader` record whenever this context gains or loses leadership (a bus, for the devtools). */
  reporter?: InspectionReporter;
  /**
   * Where `navigator.locks` is missing: `'throw'` rejects with `UNSUPPORTED_RUNTIME`;
   * `'lead'` makes this context the leader of an election of one (right for a lone process
   * such as Node, wrong for tabs, which would all lead).
   * @default 'throw'
   */
  unsupported?: 'throw' | 'lead';
}

/** One context's part in a leader election. */
export interface LeaderElection {
  /** The election's name: contexts with the same name elect one leader among them. */
  readonly name: string;
  /** This contender's id, in `leader` inspection records. */
  readonly id: string;
  /** Whether this context leads right now. */
  readonly isLeader: boolean;
  /** Calls `listener` with `true` when this context becomes the leader and `false` when it stops. */
  onLeaderChange(listener: (isLeader: boolean) => void): Unsubscribe;
  /** Resolves when this context leads (at once if it does). */
  whenLeader(): Promise<void>;
  /**
   * Gives up: stops leading (the next contender takes over at once) or stops waiting to lead.
   * Final: to run again, call `electLeader` again.
   */
  abdicate(): Promise<void>;
}

/** The part of `navigator.locks` an election uses. */
interface Locks {
  request(name: string, options: { signal: AbortSignal }, callback: () => Promise<void>): Promise<void>;
}

/**
 * Joins the election `name` among the tabs and workers of this origin, over the Web Locks API:
 * the leader holds an exclusive lock, the others queue for it, so when the leader's tab closes
 * or crashes the browser grants it to the next one at once. Exactly one context leads at a time.
 *
 * @param name the election; one lock per name
 * @returns this context's part, already queued for the lock
 * @throws {EventwireError} `UNSUPPORTED_RUNTIME` where `navigator.locks` is missing (unless
 *   `unsupported: 'lead'`)
 *
 * @example
 * ```ts
 * const election = await electLeader('shop:projections', { reporter: bus });
 * election.onLeaderChange((leading) => (leading ? runner.start() : runner.stop()));
 * addEventListener('pagehide', () => void election.abdicate());
 * ```
 */
export async function electLeader(name: string, options: ElectLeaderOptions = {}): Promise<LeaderElection> {
  let locks: Locks;
  try {
    locks = (await requireWebLocks()) as unknown as Locks;
  } catch (error) {
    if (options.unsupported !== 'lead' || !isEventwireError(error, 'UNSUPPORTED_RUNTIME')) throw error;
    return new Election(name, options.reporter, undefined);
  }
  return new Election(name, options.reporter, locks);
}

class Election implements LeaderElection {
  readonly name: string;
  readonly id = nanoid(10);
  readonly #reporter: InspectionReporter | undefined;
  readonly #listeners = new Set<(isLeader: boolean) => void>();
  readonly #abort = new AbortController();
  #isLeader = false;
  #release: (() => void) | undefined;
  #request: Promise<void>;
  #abdicated = false;

  /** Without `locks`, this context leads an election of one. */
  constructor(name: string, reporter: InspectionReporter | undefined, locks: Locks | undefined) {
    this.name = name;
    this.#reporter = reporter;
    if (locks === undefined) {
      this.#request = Promise.resolve();
      this.#setLeader(true);
      return;
    }
    this.#request = locks
      .request(`eventwire:leader:${name}`, { signal: this.#abort.signal }, () => this.#lead())
      // Aborted by abdicate() while waiting: not an error.
      .catch(() => {});
  }

  get isLeader(): boolean {
    return this.#isLeader;
  }

  onLeaderChange(listener: (isLeader: boolean) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  whenLeader(): Promise<void> {
    if (this.#isLeader) return Promise.resolve();
    return new Promise((resolve) => {
      const stop = this.onLeaderChange((isLeader) => {
        if (!isLeader) return;
        stop();
        resolve();
      });
    });
  }

  async abdicate(): Promise<void> {
    if (this.#abdicated) return;
    this.#abdicated = true;
    this.#abort.abort();
    // Say so before letting go of the lock, so that two contexts never both claim to lead.
    if (this.#isLeader) this.#setLeader(false);
    this.#release?.();
    await this.#request;
  }

  #lead(): Promise<void> {
    return new Promise((release) => {
      this.#release = release;
      this.#setLeader(true);
    });
  }

  #setLeader(isLeader: boolean): void {
    if (this.#isLeader === isLeader) return;
    this.#isLeader = isLeader;
    reportTo(this.#reporter, { type: 'leader', election: this.name, isLeader, ...(isLeader ? { leaderId: this.id } : {}) });
    for (const listener of [...this.#listeners]) {
      try {
        listener(isLeader);
      } catch (error) {
        console.error(`[eventwire] a leader-change listener of "${this.name}" threw`, error);
      }
    }
  }
}
