import { EventwireError } from './errors.js';
import type { ExpectedVersion, StreamId } from './eventStore.js';

/**
 * Another writer got there first: the stream is not at the expected version.
 *
 * @example
 * ```ts
 * try {
 *   await repository.save(order);
 * } catch (error) {
 *   if (isConcurrencyError(error)) return retry();
 *   throw error;
 * }
 * ```
 */
export class ConcurrencyError extends EventwireError<'CONCURRENCY_CONFLICT'> {
  override readonly name = 'ConcurrencyError';

  constructor(
    readonly streamId: StreamId,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: number,
  ) {
    super('CONCURRENCY_CONFLICT', `Stream "${streamId}" is at version ${actualVersion}, expected ${String(expectedVersion)}`, {
      details: { streamId, expectedVersion, actualVersion },
    });
  }
}

/**
 * Whether `error` is a version conflict, also after crossing a thread as plain data.
 *
 * @example
 * ```ts
 * if (isConcurrencyError(error)) await reloadAndRetry();
 * ```
 */
export function isConcurrencyError(error: unknown): error is ConcurrencyError {
  return error instanceof ConcurrencyError || (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'CONCURRENCY_CONFLICT');
}

/**
 * Checks an expected version against the stream's actual version.
 * @internal shared by every store so that they agree exactly
 */
export function checkExpectedVersion(streamId: StreamId, expected: ExpectedVersion, actual: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'noStream' && actual === 0) ||
    (expected === 'streamExists' && actual > 0) ||
    expected === actual;
  if (!ok) throw new ConcurrencyError(streamId, expected, actual);
}
