import { EventDecodeError, type DecodeIssue } from './decodeError.js';
import { isEventwireError } from './errors.js';
import type { AnyEvent, JsonValue } from './event.js';
import { assertPlainData, toFrozenPlainData } from './plainData.js';

/** An envelope whose fields have been checked, data not yet validated against its schema. */
export interface CheckedEnvelope extends Omit<AnyEvent, 'data'> {
  readonly data: unknown;
}

const optionalStrings = ['aggregateId', 'aggregateType', 'correlationId', 'causationId'] as const;
const optionalFields = [...optionalStrings, 'aggregateVersion', 'schemaVersion', 'metadata'] as const;

/**
 * Checks the envelope of something that claims to be an event. The whole value is checked
 * first (forbidden keys, values that do not survive JSON and structuredClone, anywhere, unknown
 * fields included), without a copy; then each known field is read once into a fresh envelope.
 * Unknown envelope fields are dropped, so a forged field never reaches a handler. `data` is
 * copied later, from what its schema returns; `metadata` is copied here.
 * @internal
 */
export function checkEnvelope(raw: unknown): CheckedEnvelope {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new EventDecodeError('INVALID_EVENT', [{ path: 'event', message: `expected an object, got ${kindOf(raw)}` }]);
  }
  asDecodeError(assertPlainData, raw, 'event');
  const input = raw as Record<string, unknown>;
  const envelope: Record<string, unknown> = { id: input.id, type: input.type, occurredAt: input.occurredAt, data: input.data };
  for (const key of optionalFields) {
    const value = input[key];
    if (value !== undefined) envelope[key] = key === 'metadata' ? asDecodeError(toFrozenPlainData, value, 'event.metadata') : value;
  }
  const issues: DecodeIssue[] = [];
  requireString(envelope, 'id', issues);
  requireString(envelope, 'type', issues);
  if (typeof envelope.occurredAt !== 'string' || Number.isNaN(Date.parse(envelope.occurredAt))) {
    issues.push({ path: 'occurredAt', message: 'expected an ISO-8601 date string' });
  }
  for (const key of optionalStrings) {
    if (envelope[key] !== undefined && typeof envelope[key] !== 'string') {
      issues.push({ path: key, message: 'expected a string' });
    }
  }
  checkCount(envelope, 'aggregateVersion', 0, issues);
  checkCount(envelope, 'schemaVersion', 1, issues);
  const { metadata } = envelope;
  if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) {
    issues.push({ path: 'metadata', message: 'expected an object' });
  }
  if (issues.length > 0) throw new EventDecodeError('INVALID_EVENT', issues);
  return envelope as unknown as CheckedEnvelope;
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

function requireString(input: Record<string, unknown>, key: string, issues: DecodeIssue[]): void {
  const value = input[key];
  if (typeof value !== 'string' || value === '') issues.push({ path: key, message: 'expected a non-empty string' });
}

function checkCount(input: Record<string, unknown>, key: string, min: number, issues: DecodeIssue[]): void {
  const value = input[key];
  if (value !== undefined && (!Number.isSafeInteger(value) || (value as number) < min)) {
    issues.push({ path: key, message: `expected an integer >= ${min}` });
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
