import { EventwireError, serializeError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { HandlerFailure, PublishResult } from './eventBus.js';

/** The failures of a publish where nothing failed: one frozen empty list, shared. @internal */
export const noFailures: readonly HandlerFailure[] = Object.freeze([]);

/** The state of one `publish` call as it walks its events. @internal */
export class PublishRun {
  index = 0;
  handlersInvoked = 0;
  failures: HandlerFailure[] | undefined;
  /** The promises of the async handlers of the current event, if any. */
  pending: Promise<void>[] | undefined;

  constructor(
    readonly events: readonly AnyEvent[],
    readonly throwOnFailure: boolean,
    readonly background: boolean,
    readonly source: string,
  ) {}

  /** In `errors: 'throw'` mode, fails the publish once an event's handlers have failed. */
  throwIfFailed(event: AnyEvent): void {
    if (!this.throwOnFailure || this.failures === undefined) return;
    const failed = this.failures.filter((failure) => failure.event === event);
    if (failed.length === 0) return;
    const names = failed.map((failure) => failure.handlerName).join(', ');
    throw new EventwireError('HANDLER_FAILED', `${failed.length} handler(s) failed on ${event.type} ${event.id}: ${names}`, {
      cause: failed[0]!.error,
      details: {
        eventId: event.id,
        failures: failed.map((failure) => ({
          subscriptionId: failure.subscriptionId,
          handlerName: failure.handlerName,
          error: serializeError(failure.error),
        })),
      },
    });
  }

  result(): PublishResult {
    const { index: eventsPublished, handlersInvoked, failures } = this;
    if (failures !== undefined) return { eventsPublished, handlersInvoked, failures };
    return { eventsPublished, handlersInvoked, failures: noFailures };
  }
}
