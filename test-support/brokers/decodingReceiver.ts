// The receiver the broker transports' tests hand to a transport: decodes like `connect`.
import { serializeError, type AnyEvent, type BatchOutcome, type EventRegistry, type IncomingBatch } from '@eventwire/core';

/**
 * A receiver like `connect`'s: decodes every payload through `registry`, rejects what does not
 * decode, runs the handler per event and reports failures.
 */
export function decodingReceiver(
  registry: EventRegistry,
  handle: (event: AnyEvent) => unknown | Promise<unknown>,
): (batch: IncomingBatch) => Promise<BatchOutcome> {
  return async ({ payloads }) => {
    const handled: number[] = [];
    const failed: { index: number; error: ReturnType<typeof serializeError> }[] = [];
    const rejected: { index: number; error: ReturnType<typeof serializeError> }[] = [];
    for (const [index, payload] of payloads.entries()) {
      const decoded = registry.safeDecode(payload);
      if (!decoded.ok) {
        rejected.push({ index, error: serializeError(decoded.error) });
        continue;
      }
      try {
        await handle(decoded.event);
        handled.push(index);
      } catch (error) {
        failed.push({ index, error: serializeError(error) });
      }
    }
    return { handled, failed, rejected };
  };
}
