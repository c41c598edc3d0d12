import { EventDecodeError, type DecodeIssue } from './decodeError.js';
import { isEventwireError } from './errors.js';
import type { AnyEvent, JsonValue } from './event.js';
import { assertPlainData, toFrozenPlainData } from './plainData.js';

/** An envelope whose fields have been checked, data not yet validated against its schema. */
export interface CheckedEnvelope extends Omit<AnyEvent, 'data'> {
  readonly data: unknown;
}

/**
 * Checks the envelope of something that claims to be an event. The whole value is checked
 * first (forbidden keys, values that do not survive JSON and structuredClone, anywhere, unknown
 * fields included), without a copy; then each known field is read once, by name, into a fresh
 * envelope of one shape (a field that is not set is `undefined`). Unknown envelope fields are
 * dropped, so a forged field never reaches a handler. `data` is copied later, from what its
 * schema returns; `metadata` is copied here.
 * @internal
 */
export function checkEnvelope(raw: unknown): CheckedEnvelope {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new EventDecodeError('INVALID_EVENT', [{ path: 'event', message: `expected an object, got ${kindOf(raw)}` }]);
  }
  asDecodeError(assertPlainData, raw, 'event');
  const input = raw as Record<string, unknown>;
  // Read by name, each once: the same few shapes at every call, so these reads stay cheap.
  const { id, type, occurredAt, data, aggregateId, aggregateType, correlationId, causationId, aggregateVersion, schemaVersion } = input;
  let { metadata } = input;
  if (metadata !== undefined) metadata = asDecodeError(toFrozenPlainData, metadata, 'event.metadata');
  let issues: DecodeIssue[] | undefined;
  if (typeof id !== 'string' || id === '') (issues ??= []).push({ path: 'id', message: 'expected a non-empty string' });
  if (typeof type !== 'string' || type === '') (issues ??= []).push({ path: 'type', message: 'expected a non-empty string' });
  if (!isDate(occurredAt)) (issues ??= []).push({ path: 'occurredAt', message: 'expected an ISO-8601 date string' });
  if (aggregateId !== undefined && typeof aggregateId !== 'string') (issues ??= []).push({ path: 'aggregateId', message: 'expected a string' });
  if (aggregateType !== undefined && typeof aggregateType !== 'string') (issues ??= []).push({ path: 'aggregateType', message: 'expected a string' });
  if (correlationId !== undefined && typeof correlationId !== 'string') (issues ??= []).push({ path: 'correlationId', message: 'expected a string' });
  if (causationId !== undefined && typeof causationId !== 'string') (issues ??= []).push({ path: 'causationId', message: 'expected a string' });
  if (!isCount(aggregateVersion, 0)) (issues ??= []).push({ path: 'aggregateVersion', message: 'expected an integer >= 0' });
  if (!isCount(schemaVersion, 1)) (issues ??= []).push({ path: 'schemaVersion', message: 'expected an integer >= 1' });
  if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) {
    (issues ??= []).push({ path: 'metadata', message: 'expected an object' });
  }
  if (issues !== undefined) throw new EventDecodeError('INVALID_EVENT', issues);
  return { id, type, occurredAt, data, aggregateId, aggregateType, aggregateVersion, correlationId, causationId, schemaVersion, metadata } as CheckedEnvelope;
}

/** The last date string found valid: the events of a burst often share their millisecond. */
let lastDate = '';

function isDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (value === lastDate) return true;
  if (Number.isNaN(Date.parse(value))) return false;
  lastDate = value;
  return true;
}

function isCount(value: unknown, min: number): boolean {
  return value === undefined || (Number.isSafeInteger(value) && (value as number) >= min);
}

/**
 * Builds a frozen event with only the fields that are set.
 * @internal
 */
export function buildEvent(envelope: Omit<CheckedEnvelope, 'data'>, data: unknown, schemaVersion: number): AnyEvent {
  const event: { -readonly [K in keyof AnyEvent]: AnyEvent[K] } = {
    id: envelope.id,
    type: envelope.type,
    data,
    occurredAt: envelope.occurredAt,
  };
  if (schemaVersion !== 1) event.schemaVersion = schemaVersion;
  if (envelope.aggregateId !== undefined) event.aggregateId = envelope.aggregateId;
  if (envelope.aggregateType !== undefined) event.aggregateType = envelope.aggregateType;
  if (envelope.aggregateVersion !== undefined) event.aggregateVersion = envelope.aggregateVersion;
  if (envelope.correlationId !== undefined) event.correlationId = envelope.correlationId;
  if (envelope.causationId !== undefined) event.causationId = envelope.causationId;
  if (envelope.metadata !== undefined) event.metadata = envelope.metadata as { readonly [key: string]: JsonValue };
  return Object.freeze(event);
}

/** Runs a plain-data check or copy; its FORBIDDEN_KEY and NOT_SERIALIZABLE errors become decode errors. */
function asDecodeError<T>(check: (value: unknown, path: string) => T, value: unknown, path: string): T {
  try {
    return check(value, path);
  } catch (error) {
    if (isEventwireError(error, 'FORBIDDEN_KEY') || isEventwireError(error, 'NOT_SERIALIZABLE')) {
      const path = (error.details as { path?: string } | undefined)?.path ?? 'event';
      throw new EventDecodeError(error.code, [{ path, message: error.message }], { cause: error });
    }
    throw error;
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
