import { EventDecodeError } from './decodeError.js';
import type { AnyEventType } from './defineEvent.js';
import { checkEnvelope } from './envelope.js';
import { EventwireError } from './errors.js';
import type { AnyEvent } from './event.js';

/**
 * Maps type names to event definitions, and decodes untrusted input against them. Everything
 * that arrives from outside the process (another tab, a worker, a broker, storage) goes
 * through `decode`.
 *
 * @example
 * ```ts
 * const registry = new EventRegistry([OrderPlaced, OrderShipped]);
 * const event = registry.decode(JSON.parse(message)); // typed, frozen, validated
 * if (OrderPlaced.is(event)) console.log(event.data.customerName);
 * ```
 */
export class EventRegistry {
  readonly #types = new Map<string, AnyEventType>();

  constructor(types: Iterable<AnyEventType> = []) {
    for (const type of types) this.register(type);
  }

  /**
   * Adds a definition. Registering the same definition twice is a no-op; a different one
   * under a taken name throws `DUPLICATE_EVENT_TYPE`.
   */
  register<T extends AnyEventType>(eventType: T): T {
    const existing = this.#types.get(eventType.type);
    if (existing !== undefined && existing !== eventType) {
      throw new EventwireError('DUPLICATE_EVENT_TYPE', `An event type named "${eventType.type}" is already registered`);
    }
    this.#types.set(eventType.type, eventType);
    return eventType;
  }

  /** The definition registered under `type`, if any. */
  get(type: string): AnyEventType | undefined {
    return this.#types.get(type);
  }

  /** Whether a definition is registered under `type`. */
  has(type: string): boolean {
    return this.#types.has(type);
  }

  /** The registered type names. */
  types(): string[] {
    return [...this.#types.keys()];
  }

  /**
   * Validates envelope and data, upcasts older versions, and returns a frozen event.
   * @throws {EventDecodeError} with the issues found (`UNKNOWN_EVENT_TYPE`, `INVALID_EVENT`, ...)
   */
  decode(value: unknown): AnyEvent {
    const envelope = checkEnvelope(value);
    const eventType = this.#types.get(envelope.type);
    if (eventType === undefined) {
      throw new EventDecodeError('UNKNOWN_EVENT_TYPE', [{ path: 'type', message: `"${envelope.type}" is not registered` }]);
    }
    return eventType.decodeChecked(envelope);
  }

  /** Like {@link EventRegistry.decode}, but returns the error instead of throwing it. */
  safeDecode(value: unknown): { ok: true; event: AnyEvent } | { ok: false; error: EventDecodeError } {
    try {
      return { ok: true, event: this.decode(value) };
    } catch (error) {
      if (error instanceof EventDecodeError) return { ok: false, error };
      throw error;
    }
  }
}

let defaultRegistry: EventRegistry | undefined;

/**
 * The registry that {@link registerEvent} fills when no registry is given.
 *
 * @example
 * ```ts
 * const bus = connect(bus, transport, { registry: getEventRegistry() });
 * ```
 */
export function getEventRegistry(): EventRegistry {
  return (defaultRegistry ??= new EventRegistry());
}

/**
 * Registers an event type (in the default registry unless one is given) and returns it, so it
 * can wrap `defineEvent`.
 *
 * @example
 * ```ts
 * export const OrderPlaced = registerEvent(defineEvent('OrderPlaced', schema, { aggregateType: 'Order' }));
 * ```
 */
export function registerEvent<T extends AnyEventType>(eventType: T, registry: EventRegistry = getEventRegistry()): T {
  return registry.register(eventType);
}
