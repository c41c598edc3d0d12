/** Timers, which every runtime has; typed here so the package needs no DOM or Node typings. */
const timers = globalThis as unknown as { setTimeout(handler: () => void, ms: number): unknown };

/**
 * Gathers items that arrive within one macrotask (a network read delivers many messages at
 * once) into one batch, and hands batches to `settle` one after the other, in order.
 * @internal
 */
export class MacrotaskBatcher<T> {
  readonly #settle: (batch: T[]) => Promise<void>;
  #pending: T[] = [];
  #scheduled = false;
  #chain: Promise<void> = Promise.resolve();

  constructor(settle: (batch: T[]) => Promise<void>) {
    this.#settle = settle;
  }

  add(item: T): void {
    this.#pending.push(item);
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#chain = this.#chain.then(() => delay(0)).then(() => {
      this.#scheduled = false;
      return this.#settle(this.#pending.splice(0));
    });
  }

  /** Resolves once every added item has been settled; rejects if a settle did. */
  flushed(): Promise<void> {
    return this.#chain;
  }
}

/** @internal */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => timers.setTimeout(resolve, ms));
}
