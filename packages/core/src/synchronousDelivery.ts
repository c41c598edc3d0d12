import { EventwireError } from './errors.js';
import type { StoredEvent } from './eventStore.js';
import type { DeliveryContext, EventDelivery } from './eventDelivery.js';

/**
 * The default delivery: each processor handles the new events before the command returns,
 * in order. A processor error fails the command with `HANDLER_FAILED` (the events are stored
 * already: the failure is the caller's to see, as in a synchronous call chain).
 *
 * @example
 * ```ts
 * const school = new DogSchool({ processors: [stats] }); // SynchronousDelivery by default
 * await school.addTrick(dogId, 'roll over');
 * stats.counts.get('roll over'); // 1, already
 * ```
 */
export class SynchronousDelivery implements EventDelivery {
  readonly kind = 'synchronous';
  #context: DeliveryContext | undefined;

  attach(context: DeliveryContext): void {
    if (this.#context !== undefined) throw new EventwireError('INVALID_ARGUMENT', 'a delivery strategy serves one application; make one per application');
    this.#context = context;
  }

  async deliver(stored: readonly StoredEvent[]): Promise<void> {
    const processors = this.#context?.processors ?? [];
    for (const { event } of stored) {
      for (const processor of processors) {
        try {
          await processor.handle(event);
        } catch (error) {
          throw new EventwireError('HANDLER_FAILED', `processor ${processor.name} failed on ${event.type} ${event.id}: ${describe(error)}`, {
            cause: error,
            details: { processor: processor.name, eventId: event.id, eventType: event.type },
          });
        }
      }
    }
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
