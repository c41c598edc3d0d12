import { EventwireError, isEventwireError } from '@eventwire/core';
import type { EventwireErrorCode } from '@eventwire/core';

/**
 * Turns what IndexedDB throws (a `DOMException` with a name) into an {@link EventwireError}
 * with a code a caller can switch on. The original error is kept as `cause`.
 *
 * @example
 * ```ts
 * try { await tx.done } catch (error) { throw toStoreError(error, 'append') }
 * ```
 */
export function toStoreError(error: unknown, operation: string): EventwireError {
  if (isEventwireError(error)) return error;
  const name = domErrorName(error);
  const code = codeOf(name);
  const message = error instanceof Error || isDomLike(error) ? (error as { message: string }).message : String(error);
  return new EventwireError(code, `IndexedDB ${operation} failed (${name}): ${message}`, { cause: error, details: { operation, name } });
}

/** The `name` of a DOMException-like error, or `'Error'`. */
export function domErrorName(error: unknown): string {
  return isDomLike(error) ? error.name : 'Error';
}

function codeOf(name: string): EventwireErrorCode {
  switch (name) {
    case 'QuotaExceededError':
      return 'QUOTA_EXCEEDED';
    case 'AbortError':
      return 'TRANSACTION_ABORTED';
    case 'InvalidStateError':
    case 'TransactionInactiveError':
      return 'STORE_CLOSED';
    case 'DataCloneError':
      return 'NOT_SERIALIZABLE';
    default:
      return 'STORE_FAILED';
  }
}

function isDomLike(error: unknown): error is { name: string; message: string } {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string';
}
