/**
 * A value that survives `JSON.stringify` / `JSON.parse` and `structuredClone` unchanged.
 */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/**
 * A string that is also documented as one kind of id. Plain strings are accepted, so
 * flavours never get in the way, but editors show what the string is for.
 */
export type Flavour<K, T extends string> = K & { readonly __flavour?: T };

/** The unique id of an event (a nanoid unless you give one). */
export type EventId = Flavour<string, 'EventId'>;

/**
 * An event: plain, frozen data that crosses BroadcastChannel, postMessage, IndexedDB and the
 * network unchanged. No classes, no methods.
 *
 * @template Type the event's type name, such as `'OrderPlaced'`
 * @template Data the payload, as its schema outputs it
 */
export interface Event<Type extends string = string, Data = unknown> {
  readonly id: EventId;
  readonly type: Type;
  readonly data: Data;
  /** ISO-8601 time at which the event happened. */
  readonly occurredAt: string;
  /** Version of the event's schema; absent means 1. Older versions are upcast on decode. */
  readonly schemaVersion?: number;
  readonly aggregateId?: string;
  readonly aggregateType?: string;
  readonly aggregateVersion?: number;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly metadata?: { readonly [key: string]: JsonValue };
}

/** Any event, whatever its type and payload. */
export type AnyEvent = Event<string, unknown>;

/** The envelope fields a caller may set when creating an event. */
export interface EnvelopeInit {
  id?: EventId;
  /** A `Date` or an ISO-8601 string; now when absent. */
  occurredAt?: string | Date;
  aggregateId?: string;
  aggregateType?: string;
  aggregateVersion?: number;
  correlationId?: string;
  causationId?: string;
  metadata?: { readonly [key: string]: JsonValue };
}

/** The routing key of an event, `<aggregateType>.<type>`, or the type alone without one. */
export function routingKeyOf(event: Pick<AnyEvent, 'type' | 'aggregateType'>): string {
  return event.aggregateType === undefined ? event.type : `${event.aggregateType}.${event.type}`;
}
