import { deserializeError, serializeError, type SerializedError } from '@eventwire/core';

/**
 * @internal
 * Comlink sends a thrown `Error` as name, message and stack only; thrown plain data arrives
 * as it is. So errors leave as {@link SerializedError}, and keep their code;
 * {@link fromPlainError} rebuilds them on the other side.
 */
export function withPlainErrors<Api extends object>(api: Api): Api {
  const wrapped: Record<string, unknown> = {};
  for (const [key, method] of Object.entries(api) as [string, (...args: unknown[]) => unknown][]) {
    wrapped[key] = (...args: unknown[]) => {
      try {
        const result = method(...args);
        return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(serializeError(error))) : result;
      } catch (error) {
        throw serializeError(error);
      }
    };
  }
  return wrapped as unknown as Api;
}

/**
 * @internal
 * Rebuilds an error that left the worker as plain data (an `EventwireError` when it has a code).
 */
export function fromPlainError(error: unknown): unknown {
  if (typeof error === 'object' && error !== null && !(error instanceof Error) && typeof (error as SerializedError).message === 'string') {
    return deserializeError(error as SerializedError);
  }
  return error;
}
