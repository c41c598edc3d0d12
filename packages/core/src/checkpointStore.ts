/**
 * Where a projection or processor remembers how far it got: the position of the last event it
 * handled (0 before the first).
 *
 * `commit` runs the handler's writes and moves the checkpoint as one unit. A store that can do
 * both in one transaction (IndexedDB) makes processing exactly-once: either the read-model writes
 * and the new checkpoint are both stored, or neither is. `Tx` is what the writes run in (an
 * IndexedDB transaction, a SQL connection); `void` for stores without transactions.
 *
 * @example
 * ```ts
 * await checkpoints.commit('order-summary', stored.position, async (tx, checkpoint) => {
 *   if (stored.position > checkpoint) await applyToReadModel(tx, stored);
 * });
 * ```
 */
export interface CheckpointStore<Tx = void> {
  /** The last committed position of `name`; 0 when it has none. */
  get(name: string): Promise<number>;
  /**
   * Runs `apply` with the checkpoint as it is now, then stores `position`, atomically when the
   * store supports it. A position not past the current checkpoint is ignored (never moves back).
   * When `apply` throws, the checkpoint does not move and the error is rethrown.
   */
  commit(name: string, position: number, apply?: (tx: Tx, checkpoint: number) => unknown): Promise<void>;
  /** Every checkpoint, for inspection. */
  list(): Promise<ReadonlyMap<string, number>>;
  /** Forgets `name`, so that it starts again from the beginning (a rebuild). */
  reset(name: string): Promise<void>;
}

/**
 * Checkpoints in memory: for tests, Node and edge runtimes. Commits are serialized per name, so
 * two concurrent commits of one name never both see the same checkpoint.
 *
 * @example
 * ```ts
 * const checkpoints = new InMemoryCheckpointStore();
 * await checkpoints.commit('orders', 42);
 * await checkpoints.get('orders'); // 42
 * ```
 */
export class InMemoryCheckpointStore implements CheckpointStore<void> {
  readonly #positions = new Map<string, number>();
  readonly #queues = new Map<string, Promise<unknown>>();

  async get(name: string): Promise<number> {
    return this.#positions.get(name) ?? 0;
  }

  commit(name: string, position: number, apply?: (tx: void, checkpoint: number) => unknown): Promise<void> {
    const previous = this.#queues.get(name) ?? Promise.resolve();
    const run = previous.then(
      () => this.#commitNow(name, position, apply),
      () => this.#commitNow(name, position, apply),
    );
    this.#queues.set(name, run);
    return run;
  }

  async list(): Promise<ReadonlyMap<string, number>> {
    return new Map(this.#positions);
  }

  async reset(name: string): Promise<void> {
    this.#positions.delete(name);
  }

  async #commitNow(name: string, position: number, apply?: (tx: void, checkpoint: number) => unknown): Promise<void> {
    const checkpoint = this.#positions.get(name) ?? 0;
    if (apply !== undefined) await apply(undefined, checkpoint);
    if (position > checkpoint) this.#positions.set(name, position);
  }
}
