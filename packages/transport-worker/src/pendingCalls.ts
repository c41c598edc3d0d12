import { EventwireError } from '@eventwire/core';

/**
 * The calls in flight to a worker. Comlink leaves a call pending forever when its worker is
 * terminated; this settles every one of them: with `WORKER_TERMINATED` when the worker is
 * terminated through us, with `TIMEOUT` when one takes longer than the timeout.
 * @internal
 */
export class PendingCalls {
  readonly #timeoutMs: number;
  readonly #rejects = new Set<(error: EventwireError) => void>();
  #terminated: EventwireError | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** How many calls are waiting for the worker. */
  get size(): number {
    return this.#rejects.size;
  }

  /** Tracks `call`: its result, or a typed rejection when the worker goes or takes too long. */
  track<T>(describe: string, call: () => Promise<T>): Promise<T> {
    if (this.#terminated !== undefined) return Promise.reject(this.#terminated);
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (): void => {
        clearTimeout(timer);
        this.#rejects.delete(fail);
      };
      const fail = (error: EventwireError): void => {
        settle();
        reject(error);
      };
      this.#rejects.add(fail);
      if (Number.isFinite(this.#timeoutMs)) {
        timer = setTimeout(() => fail(new EventwireError('TIMEOUT', `${describe}: the worker did not answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
      }
      call().then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
  }

  /** Rejects every pending call, and every later one, with `WORKER_TERMINATED`. */
  terminate(reason: string): void {
    this.#terminated ??= new EventwireError('WORKER_TERMINATED', reason);
    for (const fail of [...this.#rejects]) fail(this.#terminated);
  }
}
