/** A promise with its resolve function outside: a gate that a test opens when it decides. */
export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * Makes a {@link Deferred}: lets a test hold an async handler open without timers.
 *
 * @example
 * ```ts
 * const gate = deferred();
 * bus.subscribe(OrderPlaced, () => gate.promise);
 * const publishing = bus.publish(event);
 * gate.resolve();
 * await publishing;
 * ```
 */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
