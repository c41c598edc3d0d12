import { serializeError } from '@eventwire/core';
import * as Comlink from 'comlink';

interface ThrownValue {
  readonly isError: boolean;
  readonly value: unknown;
}

/**
 * Comlink sends a thrown error as `{ message, name, stack }` and drops `code`, so an
 * `EventwireError` would reach the page without its code. This replaces Comlink's `throw`
 * handler in the worker with one that sends `serializeError(error)` (code and details
 * included); Comlink's own deserializer on the page copies every field onto the new `Error`,
 * so `isEventwireError(error, 'AGGREGATE_NOT_FOUND')` holds there.
 * @internal called once by `serveApplications`, in the worker only
 */
export function sendErrorCodesThroughComlink(): void {
  const original = Comlink.transferHandlers.get('throw') as Comlink.TransferHandler<{ value: unknown }, ThrownValue> | undefined;
  if (original === undefined) return;
  const handler: Comlink.TransferHandler<{ value: unknown }, ThrownValue> = {
    canHandle: (value): value is { value: unknown } => original.canHandle(value),
    serialize: ({ value }) => [value instanceof Error ? { isError: true, value: serializeError(value) } : { isError: false, value }, []],
    deserialize: (serialized) => original.deserialize(serialized),
  };
  Comlink.transferHandlers.set('throw', handler as Comlink.TransferHandler<unknown, unknown>);
}
