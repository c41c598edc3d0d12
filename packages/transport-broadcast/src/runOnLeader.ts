import { ProjectionRunner, type ProjectionRunnerOptions } from '@eventwire/core';
import type { LeaderElection } from './electLeader.js';

/** Work that runs while this context leads: `stop` is called when it stops leading. */
export interface LeaderTask {
  stop(): void | Promise<void>;
}

/** Options of {@link runWhileLeader}. */
export interface RunWhileLeaderOptions {
  /** Called when starting the task fails; the task is retried at the next leadership. */
  onError?: (error: unknown) => void;
}

/** The handle of {@link runWhileLeader}. */
export interface LeaderRun<Task extends LeaderTask> {
  /** The running task, while this context leads and the task has started. */
  readonly task: Task | undefined;
  /** Stops the task and stops reacting to the election (the election itself goes on). */
  stop(): Promise<void>;
}

/**
 * Starts a task each time this context becomes the leader and stops it when it stops leading.
 * Starts and stops never overlap: each waits for the one before.
 *
 * @param election this context's part in the election
 * @param start starts the task; may be async (resolve once it runs)
 * @returns the handle, with the current task and `stop`
 *
 * @example
 * ```ts
 * const run = runWhileLeader(election, () => {
 *   const timer = setInterval(syncWithServer, 10_000);
 *   return { stop: () => clearInterval(timer) };
 * });
 * ```
 */
export function runWhileLeader<Task extends LeaderTask>(
  election: LeaderElection,
  start: () => Task | Promise<Task>,
  options: RunWhileLeaderOptions = {},
): LeaderRun<Task> {
  let task: Task | undefined;
  let stopped = false;
  let transitions: Promise<void> = Promise.resolve();
  const onError = options.onError ?? ((error: unknown) => console.error(`[eventwire] the leader task of "${election.name}" failed to start`, error));

  const follow = (isLeader: boolean): void => {
    transitions = transitions.then(async () => {
      if (isLeader && !stopped && election.isLeader && task === undefined) {
        try {
          task = await start();
        } catch (error) {
          onError(error);
        }
        // Leadership may have gone while the task was starting.
        if (!election.isLeader || stopped) await stopTask();
      } else if (!isLeader) {
        await stopTask();
      }
    });
  };
  const stopTask = async (): Promise<void> => {
    const running = task;
    task = undefined;
    await running?.stop();
  };

  const unsubscribe = election.onLeaderChange(follow);
  if (election.isLeader) follow(true);
  return {
    get task() {
      return task;
    },
    async stop() {
      stopped = true;
      unsubscribe();
      follow(false);
      await transitions;
    },
  };
}

/**
 * Keeps one projection running across all tabs: on the leader only. A new leader starts a fresh
 * runner, which catches up from the shared checkpoint (an IndexedDB checkpoint store, say) and
 * follows live, so a takeover resumes where the last leader committed, never before.
 *
 * @param election this context's part in the election
 * @param options the projection runner's options (name, store, checkpoints, handler...)
 * @returns the handle; `task` is the running {@link ProjectionRunner} while this context leads
 *
 * @example
 * ```ts
 * const election = await electLeader('shop:order-totals', { reporter: bus });
 * runProjectionOnLeader(election, { name: 'order-totals', store, checkpoints, handler, reporter: bus });
 * ```
 */
export function runProjectionOnLeader<Tx>(election: LeaderElection, options: ProjectionRunnerOptions<Tx>, runOptions?: RunWhileLeaderOptions): LeaderRun<ProjectionRunner<Tx>> {
  return runWhileLeader(
    election,
    async () => {
      const runner = new ProjectionRunner(options);
      await runner.start();
      return runner;
    },
    runOptions,
  );
}
