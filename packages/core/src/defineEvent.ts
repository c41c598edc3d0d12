import { EventDecodeError, type DecodeIssue } from './decodeError.js';
import { buildEvent, checkEnvelope, type CheckedEnvelope } from './envelope.js';
import { EventwireError } from './errors.js';
import { newEventId } from './eventId.js';
import { isoNow } from './isoNow.js';
import type { EnvelopeInit, Event, JsonValue } from './event.js';
import { toFrozenPlainData } from './plainData.js';
import type { StandardSchemaV1 } from './standardSchema.js';

/** Options of {@link defineEvent}. */
export interface EventTypeOptions {
  /** The aggregate type set on every event of this type, such as `'Order'`. */
  aggregateType?: string;
  /**
   * The current version of the schema.
   * @default 1
   */
  version?: number;
  /**
   * Upcasters, keyed by the version they read: `upcast[1]` turns version 1 data into version 2.
   * Decoding an older event runs each step up to {@link EventTypeOptions.version}.
   */
  upcast?: { readonly [fromVersion: number]: (data: unknown) => unknown };
}

/**
 * A defined event type: its name, schema, and the functions to make and check its events.
 *
 * @template Type the type name
 * @template Data the payload type (the schema's output)
 * @template Input what `create` accepts (the schema's input)
 */
export interface EventType<Type extends string = string, Data = unknown, Input = Data> {
  readonly type: Type;
  readonly schema: StandardSchemaV1<unknown, Data>;
  readonly aggregateType: string | undefined;
  readonly version: number;
  /** Validates `data` against the schema and returns a new frozen event. */
  create(data: Input, envelope?: EnvelopeInit): Event<Type, Data>;
  /** A type guard on the type name alone (no validation): cheap enough for every handler. */
  is(value: unknown): value is Event<Type, Data>;
  /** Decodes untrusted input into an event of this type, or throws {@link EventDecodeError}. */
  parse(value: unknown): Event<Type, Data>;
  /** @internal decodes an envelope that {@link checkEnvelope} already checked. */
  decodeChecked(envelope: CheckedEnvelope): Event<Type, Data>;
}

/** Any event type. `never` input so that every concrete type is assignable. */
export type AnyEventType = EventType<string, unknown, never>;

/** The event type produced by an {@link EventType}: `EventOf<typeof OrderPlaced>`. */
export type EventOf<T extends AnyEventType> = ReturnType<T['parse']>;

/**
 * Defines an event type over any Standard Schema v1 schema (zod 4, valibot, arktype...).
 *
 * @param type the type name, unique within a registry: `'OrderPlaced'`
 * @param schema validates the payload; its output must be plain data
 * @param options aggregate type, schema version and upcasters
 * @returns the event type, with `create`, `is` and `parse`
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * const OrderPlaced = defineEvent(
 *   'OrderPlaced',
 *   z.object({ customerName: z.string(), totalAmount: z.number() }),
 *   { aggregateType: 'Order' },
 * );
 * const event = OrderPlaced.create({ customerName: 'Alice', totalAmount: 99.99 }, { aggregateId: 'o-1' });
 * ```
 */
export function defineEvent<const Type extends string, Schema extends StandardSchemaV1>(
  type: Type,
  schema: Schema,
  options: EventTypeOptions = {},
): EventType<Type, StandardSchemaV1.InferOutput<Schema>, StandardSchemaV1.InferInput<Schema>> {
  type Data = StandardSchemaV1.InferOutput<Schema>;
  assertTypeName(type);
  assertSchema(schema, type);
  const version = options.version ?? 1;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new EventwireError('INVALID_ARGUMENT', `defineEvent("${type}"): version must be an integer >= 1`);
  }
  const { aggregateType, upcast = {} } = options;

  const validate = (data: unknown, code: 'SCHEMA_VALIDATION_FAILED'): Data => {
    const result = schema['~standard'].validate(data);
    if (result instanceof Promise) {
      throw new EventDecodeError('ASYNC_SCHEMA_UNSUPPORTED', [
        { path: 'data', message: `the schema of "${type}" validates asynchronously; event schemas must be synchronous` },
      ]);
    }
    if (result.issues) throw new EventDecodeError(code, result.issues.map(toDecodeIssue));
    return result.value as Data;
  };

  const decodeChecked = (envelope: CheckedEnvelope): Event<Type, Data> => {
    if (envelope.type !== type) {
      throw new EventDecodeError('INVALID_EVENT', [{ path: 'type', message: `expected "${type}", got "${envelope.type}"` }]);
    }
    const data = validate(upcastData(type, envelope.data, envelope.schemaVersion ?? 1, version, upcast), 'SCHEMA_VALIDATION_FAILED');
    return buildEvent(envelope, freezeData(data), version) as Event<Type, Data>;
  };

  return Object.freeze({
    type,
    schema: schema as StandardSchemaV1<unknown, Data>,
    aggregateType,
    version,
    create(data: StandardSchemaV1.InferInput<Schema>, envelope: EnvelopeInit = {}): Event<Type, Data> {
      const value = freezeData(validate(data, 'SCHEMA_VALIDATION_FAILED'));
      return buildEvent(envelopeFor(type, envelope, aggregateType), value, version) as Event<Type, Data>;
    },
    is(value: unknown): value is Event<Type, Data> {
      return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;
    },
    parse(value: unknown): Event<Type, Data> {
      return decodeChecked(checkEnvelope(value));
    },
    decodeChecked,
  });
}

function envelopeFor(type: string, init: EnvelopeInit, aggregateType: string | undefined): Omit<CheckedEnvelope, 'data'> {
  // `??` as before: a JavaScript caller's null means now, too.
  const occurredAt = init.occurredAt === undefined || (init.occurredAt as unknown) === null ? isoNow() : givenTime(type, init.occurredAt);
  const envelope: { -readonly [K in keyof Omit<CheckedEnvelope, 'data'>]: CheckedEnvelope[K] } = {
    id: init.id ?? newEventId(),
    type,
    occurredAt,
  };
  const resolvedAggregateType = init.aggregateType ?? aggregateType;
  if (resolvedAggregateType !== undefined) envelope.aggregateType = resolvedAggregateType;
  if (init.aggregateId !== undefined) envelope.aggregateId = init.aggregateId;
  if (init.aggregateVersion !== undefined) envelope.aggregateVersion = init.aggregateVersion;
  if (init.correlationId !== undefined) envelope.correlationId = init.correlationId;
  if (init.causationId !== undefined) envelope.causationId = init.causationId;
  if (init.metadata !== undefined) {
    envelope.metadata = toFrozenPlainData(init.metadata, 'metadata') as { readonly [key: string]: JsonValue };
  }
  return envelope;
}

function upcastData(
  type: string,
  data: unknown,
  from: number,
  to: number,
  upcast: NonNullable<EventTypeOptions['upcast']>,
): unknown {
  if (from > to) {
    throw new EventDecodeError('INVALID_EVENT', [
      { path: 'schemaVersion', message: `"${type}" version ${from} is newer than the known version ${to}` },
    ]);
  }
  let current = data;
  for (let version = from; version < to; version++) {
    const step = upcast[version];
    if (step === undefined) {
      throw new EventDecodeError('UPCAST_FAILED', [{ path: 'schemaVersion', message: `no upcaster from version ${version} of "${type}"` }]);
    }
    try {
      current = step(current);
    } catch (error) {
      throw new EventDecodeError('UPCAST_FAILED', [{ path: 'data', message: `upcaster ${version} of "${type}" threw: ${String(error)}` }], {
        cause: error,
      });
    }
  }
  return current;
}

/** The time the caller gave an event, as an ISO-8601 string; throws when it is not a date. */
function givenTime(type: string, occurredAt: string | Date): string {
  const iso = occurredAt instanceof Date ? occurredAt.toISOString() : occurredAt;
  if (Number.isNaN(Date.parse(iso))) {
    throw new EventwireError('INVALID_ARGUMENT', `${type}.create: occurredAt "${iso}" is not an ISO-8601 date`);
  }
  return iso;
}

function freezeData(data: unknown): unknown {
  return toFrozenPlainData(data, 'data');
}

function toDecodeIssue(issue: StandardSchemaV1.Issue): DecodeIssue {
  const segments = (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment));
  return { path: ['data', ...segments].join('.'), message: issue.message };
}

function assertTypeName(type: unknown): void {
  if (typeof type !== 'string' || type === '' || /[\s*>]/.test(type)) {
    throw new EventwireError('INVALID_ARGUMENT', `defineEvent: "${String(type)}" is not a valid type name (non-empty, no spaces, "*" or ">")`);
  }
}

function assertSchema(schema: unknown, type: string): void {
  const standard = (schema as { '~standard'?: { version?: unknown; validate?: unknown } } | null)?.['~standard'];
  if (standard?.version !== 1 || typeof standard.validate !== 'function') {
    throw new EventwireError('INVALID_ARGUMENT', `defineEvent("${type}"): the schema does not implement Standard Schema v1`);
  }
}
