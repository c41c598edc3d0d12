import { EventDecodeError, type DecodeIssue } from './decodeError.js';
import { isEventwireError } from './errors.js';
import type { AnyEvent, JsonValue } from './event.js';
import { toFrozenPlainData } from './plainData.js';

/** An envelope whose fields have been checked, data not yet validated against its schema. */
export interface CheckedEnvelope extends Omit<AnyEvent, 'data'> {
  readonly data: unknown;
}

const optionalStrings = ['aggregateId', 'aggregateType', 'correlationId', 'causationId'] as const;

/**
 * Checks the envelope of something that claims to be an event, copying it into fresh plain
 * data. Unknown envelope fields are dropped, so a forged field never reaches a handler.
 * @internal
 */
export function checkEnvelope(raw: unknown): CheckedEnvelope {
  const copy = copyPlain(raw);
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) {
    throw new EventDecodeError('INVALID_EVENT', [{ path: 'event', message: `expected an object, got ${kindOf(raw)}` }]);
  }
  const input = copy as Record<string, unknown>;
  const issues: DecodeIssue[] = [];
  requireString(input, 'id', issues);
  requireString(input, 'type', issues);
  if (typeof input.occurredAt !== 'string' || Number.isNaN(Date.parse(input.occurredAt))) {
    issues.push({ path: 'occurredAt', message: 'expected an ISO-8601 date string' });
  }
  for (const key of optionalStrings) {
    if (input[key] !== undefined && typeof input[key] !== 'string') {
      issues.push({ path: key, message: 'expected a string' });
    }
  }
  checkCount(input, 'aggregateVersion', 0, issues);
  checkCount(input, 'schemaVersion', 1, issues);
  if (input.metadata !== undefined && (typeof input.metadata !== 'object' || input.metadata === null || Array.isArray(input.metadata))) {
    issues.push({ path: 'metadata', message: 'expected an object' });
  }
  if (issues.length > 0) throw new EventDecodeError('INVALID_EVENT', issues);
  return input as unknown as CheckedEnvelope;
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

function copyPlain(raw: unknown): unknown {
  try {
    return toFrozenPlainData(raw, 'event');
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
