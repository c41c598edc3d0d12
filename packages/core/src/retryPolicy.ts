import { runtime } from './runtimeGlobals.js';

/** How the delay grows between attempts. */
export type BackoffKind = 'fixed' | 'linear' | 'exponential';

/** Options of {@link RetryPolicy}. */
export interface RetryPolicyOptions {
  /** Attempts in total, the first included. @default 3 */
  attempts?: number;
  /** @default 'exponential' */
  backoff?: BackoffKind | ((failedAttempt: number) => number);
  /** The delay after the first failure, in ms. @default 100 */
  initialDelayMs?: number;
  /** No delay is longer than this. @default 30_000 */
  maxDelayMs?: number;
  /** Adds up to this fraction of random delay, so that retrying consumers spread out. @default 0 */
  jitter?: number;
  /** Whether an error is worth another attempt (a validation error is not). @default always */
  shouldRetry?: (error: unknown, failedAttempt: number) => boolean;
  /** Waits between attempts; tests inject an instant one. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** What {@link RetryPolicy.attempt} found: the value, or the last error, with the attempts made. */
export type RetryOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  | { readonly ok: false; readonly error: unknown; readonly attempts: number };

/**
 * How a processor retries a failing handler: how many attempts, how long to wait between them.
 * When the attempts are used up the caller dead-letters the event.
 *
 * @example
 * ```ts
 * const policy = new RetryPolicy({ attempts: 5, backoff: 'exponential', initialDelayMs: 200 });
 * const outcome = await policy.attempt(() => sendEmail(event));
 * if (!outcome.ok) await deadLetters.add({ consumer: 'email', event, error: outcome.error, attempts: outcome.attempts });
 * ```
 */
export class RetryPolicy {
  readonly attempts: number;
  readonly #options: RetryPolicyOptions;

  constructor(options: RetryPolicyOptions = {}) {
    const attempts = options.attempts ?? 3;
    if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError('RetryPolicy: attempts must be an integer >= 1');
    this.attempts = attempts;
    this.#options = options;
  }

  /** No retries: one attempt. */
  static readonly none: RetryPolicy = new RetryPolicy({ attempts: 1 });

  /**
   * The delay before the attempt after `failedAttempt` (1-based), in ms.
   *
   * @example
   * ```ts
   * new RetryPolicy({ initialDelayMs: 100 }).delayAfter(3); // 400
   * ```
   */
  delayAfter(failedAttempt: number): number {
    const { backoff = 'exponential', initialDelayMs = 100, maxDelayMs = 30_000, jitter = 0 } = this.#options;
    const base =
      typeof backoff === 'function'
        ? backoff(failedAttempt)
        : backoff === 'fixed'
          ? initialDelayMs
          : backoff === 'linear'
            ? initialDelayMs * failedAttempt
            : initialDelayMs * 2 ** (failedAttempt - 1);
    const delay = Math.min(Math.max(base, 0), maxDelayMs);
    return jitter > 0 ? Math.min(delay + delay * jitter * Math.random(), maxDelayMs) : delay;
  }

  /**
   * Runs `fn` until it succeeds or the attempts are used up; never throws.
   *
   * @example
   * ```ts
   * const outcome = await policy.attempt((attempt) => handler(event, attempt));
   * ```
   */
  async attempt<T>(fn: (attempt: number) => T | Promise<T>): Promise<RetryOutcome<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { ok: true, value: await fn(attempt), attempts: attempt };
      } catch (error) {
        const retry = attempt < this.attempts && (this.#options.shouldRetry?.(error, attempt) ?? true);
        if (!retry) return { ok: false, error, attempts: attempt };
        await (this.#options.sleep ?? sleep)(this.delayAfter(attempt));
      }
    }
  }

  /**
   * Runs `fn` with retries and returns its value, or throws its last error.
   *
   * @example
   * ```ts
   * const response = await policy.run(() => fetch(url));
   * ```
   */
  async run<T>(fn: (attempt: number) => T | Promise<T>): Promise<T> {
    const outcome = await this.attempt(fn);
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }
}

/**
 * Runs `fn` with a retry policy made from `options`.
 *
 * @example
 * ```ts
 * const value = await retry(() => flakyCall(), { attempts: 4, initialDelayMs: 50 });
 * ```
 */
export function retry<T>(fn: (attempt: number) => T | Promise<T>, options: RetryPolicyOptions = {}): Promise<T> {
  return new RetryPolicy(options).run(fn);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => runtime.setTimeout(() => resolve(), ms));
}
