import type { CheckpointStore } from './checkpointStore.js';
import type { Unsubscribe } from './eventBus.js';
import type { EventStore, StoredEvent } from './eventStore.js';
import type { InspectionReporter } from './inspectionReporter.js';
import { reportTo } from './inspectionReporter.js';

/** Applies one stored event to a read model, inside the checkpoint store's transaction `tx`. */
export type ProjectionHandler<Tx = void> = (stored: StoredEvent, tx: Tx) => unknown;

/** Options of {@link ProjectionRunner}. */
export interface ProjectionRunnerOptions<Tx = void> {
  /** The checkpoint's name, also shown by the devtools. */
  name: string;
  store: EventStore;
  checkpoints: CheckpointStore<Tx>;
  handler: ProjectionHandler<Tx>;
  /** Events applied per checkpoint commit while catching up. @default 100 */
  batchSize?: number;
  /** Receives a `checkpoint` record after each commit (a bus, for the devtools). */
  reporter?: InspectionReporter;
  /** Called when the handler fails while following live; the runner then stops (nothing is skipped). */
  onError?: (error: unknown, stored: StoredEvent) => void;
}

/** Where a runner is. */
export type ProjectionRunnerStatus = 'idle' | 'catching-up' | 'live' | 'failed' | 'stopped';

/**
 * Runs a projection: catches it up from its checkpoint in batches, then follows the store live.
 * Each batch's read-model writes and its checkpoint go through `checkpoints.commit`, and the
 * handler only sees events past the checkpoint read inside that commit. With a checkpoint store
 * that commits both in one transaction (the IndexedDB one), every event is applied exactly once,
 * across reloads, crashes and concurrent runners in other tabs.
 *
 * @example
 * ```ts
 * const runner = new ProjectionRunner({
 *   name: 'order-totals', store, checkpoints,
 *   handler: (stored) => { totals.set(stored.streamId, (totals.get(stored.streamId) ?? 0) + 1); },
 * });
 * await runner.start(); // caught up; now following live
 * ```
 */
export class ProjectionRunner<Tx = void> {
  readonly #options: ProjectionRunnerOptions<Tx>;
  #status: ProjectionRunnerStatus = 'idle';
  #position = 0;
  #unsubscribe: Unsubscribe | undefined;
  #waiters: { position: number; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #failure: unknown;

  constructor(options: ProjectionRunnerOptions<Tx>) {
    this.#options = options;
  }

  get name(): string {
    return this.#options.name;
  }

  get status(): ProjectionRunnerStatus {
    return this.#status;
  }

  /** The position of the last event applied (the checkpoint). */
  get position(): number {
    return this.#position;
  }

  /**
   * Catches up from the checkpoint, then follows live. Resolves once caught up.
   * @throws the handler's error when it fails during catch-up (the runner is then `failed`)
   */
  async start(): Promise<void> {
    if (this.#status === 'catching-up' || this.#status === 'live') return;
    this.#status = 'catching-up';
    try {
      this.#advance(await this.#options.checkpoints.get(this.#options.name));
      await this.#catchUp();
    } catch (error) {
      this.#fail(error);
      throw error;
    }
    if (this.#status !== 'catching-up') return;
    this.#status = 'live';
    this.#unsubscribe = this.#options.store.subscribe((stored) => this.#commit([stored]), {
      fromPosition: this.#position + 1,
      onError: (error, stored) => {
        this.#fail(error);
        this.#options.onError?.(error, stored);
      },
    });
  }

  /** Stops following. The checkpoint stays where it is. */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#status !== 'failed') this.#status = 'stopped';
  }

  /**
   * Resolves once the runner has applied everything up to `position`.
   * @throws the runner's error when it fails first
   */
  waitFor(position: number): Promise<void> {
    if (this.#position >= position) return Promise.resolve();
    if (this.#status === 'failed') return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => this.#waiters.push({ position, resolve, reject }));
  }

  async #catchUp(): Promise<void> {
    const limit = this.#options.batchSize ?? 100;
    for (;;) {
      const page = await this.#options.store.readAll({ fromPosition: this.#position + 1, limit });
      if (page.length === 0 || this.#status !== 'catching-up') return;
      await this.#commit(page);
    }
  }

  async #commit(batch: readonly StoredEvent[]): Promise<void> {
    const last = batch[batch.length - 1];
    if (last === undefined || last.position <= this.#position) return;
    try {
      await this.#options.checkpoints.commit(this.#options.name, last.position, async (tx, checkpoint) => {
        for (const stored of batch) if (stored.position > checkpoint) await this.#options.handler(stored, tx);
      });
    } catch (error) {
      // The whole batch rolled back: apply it event by event, so that everything before the
      // failing event is committed and the error names the event that failed.
      if (batch.length === 1) throw error;
      for (const stored of batch) await this.#commit([stored]);
      return;
    }
    this.#advance(last.position);
    await this.#report();
  }

  #advance(position: number): void {
    if (position <= this.#position) return;
    this.#position = position;
    const ready = this.#waiters.filter((waiter) => waiter.position <= position);
    this.#waiters = this.#waiters.filter((waiter) => waiter.position > position);
    for (const waiter of ready) waiter.resolve();
  }

  async #report(): Promise<void> {
    const reporter = this.#options.reporter;
    if (reporter === undefined) return;
    const lastPosition = await this.#options.store.getLastPosition();
    reportTo(reporter, { type: 'checkpoint', projection: this.#options.name, position: this.#position, lag: Math.max(lastPosition - this.#position, 0) });
  }

  #fail(error: unknown): void {
    this.#status = 'failed';
    this.#failure = error;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const waiter of this.#waiters) waiter.reject(error);
    this.#waiters = [];
  }
}
