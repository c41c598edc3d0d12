import { EventDecodeError, type DecodeIssue } from './decodeError.js';
import type { AnyEvent, JsonValue } from './event.js';
import type { EventRegistry } from './registry.js';

/** A CloudEvents 1.0 event in structured JSON mode, with eventwire's extension attributes. */
export interface CloudEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time?: string;
  readonly subject?: string;
  readonly datacontenttype?: string;
  readonly data?: unknown;
  readonly aggregatetype?: string;
  readonly aggregateversion?: number;
  readonly correlationid?: string;
  readonly causationid?: string;
  readonly schemaversion?: number;
  /** The event's metadata, as a JSON string (extension values must be scalars). */
  readonly eventwiremetadata?: string;
  readonly [extension: string]: unknown;
}

/**
 * Maps an event to a CloudEvent: `id`, `type`, `source`, `time`, `subject` (the aggregate id),
 * `data`, and extension attributes for the rest.
 *
 * @example
 * ```ts
 * const body = JSON.stringify(toCloudEvent(event, { source: 'urn:eventwire:orders' }));
 * ```
 */
export function toCloudEvent(event: AnyEvent, { source }: { source: string }): CloudEvent {
  const cloudEvent: Record<string, unknown> = {
    specversion: '1.0',
    id: event.id,
    source,
    type: event.type,
    time: event.occurredAt,
    datacontenttype: 'application/json',
    data: event.data,
  };
  if (event.aggregateId !== undefined) cloudEvent.subject = event.aggregateId;
  if (event.aggregateType !== undefined) cloudEvent.aggregatetype = event.aggregateType;
  if (event.aggregateVersion !== undefined) cloudEvent.aggregateversion = event.aggregateVersion;
  if (event.correlationId !== undefined) cloudEvent.correlationid = event.correlationId;
  if (event.causationId !== undefined) cloudEvent.causationid = event.causationId;
  if (event.schemaVersion !== undefined) cloudEvent.schemaversion = event.schemaVersion;
  if (event.metadata !== undefined) cloudEvent.eventwiremetadata = JSON.stringify(event.metadata);
  return cloudEvent as unknown as CloudEvent;
}

/**
 * Maps a CloudEvent back to an event, enforcing the required attributes (`specversion` 1.0,
 * `id`, `source`, `type`). With a registry the result is decoded (validated, upcast, typed);
 * without one it is only checked as an envelope later by whoever decodes it.
 * @throws {EventDecodeError} `INVALID_EVENT` on a missing or wrong attribute
 *
 * @example
 * ```ts
 * const event = fromCloudEvent(JSON.parse(body), registry);
 * ```
 */
export function fromCloudEvent(value: unknown, registry?: EventRegistry): AnyEvent {
  const cloudEvent = requireCloudEvent(value);
  const envelope: Record<string, unknown> = {
    id: cloudEvent.id,
    type: cloudEvent.type,
    data: cloudEvent.data,
    occurredAt: cloudEvent.time ?? new Date().toISOString(),
  };
  if (cloudEvent.subject !== undefined) envelope.aggregateId = cloudEvent.subject;
  if (cloudEvent.aggregatetype !== undefined) envelope.aggregateType = cloudEvent.aggregatetype;
  if (cloudEvent.aggregateversion !== undefined) envelope.aggregateVersion = cloudEvent.aggregateversion;
  if (cloudEvent.correlationid !== undefined) envelope.correlationId = cloudEvent.correlationid;
  if (cloudEvent.causationid !== undefined) envelope.causationId = cloudEvent.causationid;
  if (cloudEvent.schemaversion !== undefined) envelope.schemaVersion = cloudEvent.schemaversion;
  if (cloudEvent.eventwiremetadata !== undefined) envelope.metadata = parseMetadata(cloudEvent.eventwiremetadata);
  return registry === undefined ? (envelope as unknown as AnyEvent) : registry.decode(envelope);
}

function requireCloudEvent(value: unknown): CloudEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EventDecodeError('INVALID_EVENT', [{ path: 'cloudEvent', message: 'expected an object' }]);
  }
  const input = value as Record<string, unknown>;
  const issues: DecodeIssue[] = [];
  if (input.specversion !== '1.0') issues.push({ path: 'specversion', message: 'expected "1.0"' });
  for (const key of ['id', 'source', 'type'] as const) {
    if (typeof input[key] !== 'string' || input[key] === '') issues.push({ path: key, message: 'required, a non-empty string' });
  }
  if (input.time !== undefined && (typeof input.time !== 'string' || Number.isNaN(Date.parse(input.time)))) {
    issues.push({ path: 'time', message: 'expected an RFC 3339 timestamp' });
  }
  if (issues.length > 0) throw new EventDecodeError('INVALID_EVENT', issues);
  return input as unknown as CloudEvent;
}

function parseMetadata(raw: unknown): JsonValue {
  if (typeof raw !== 'string') throw new EventDecodeError('INVALID_EVENT', [{ path: 'eventwiremetadata', message: 'expected a JSON string' }]);
  try {
    return JSON.parse(raw) as JsonValue;
  } catch {
    throw new EventDecodeError('INVALID_EVENT', [{ path: 'eventwiremetadata', message: 'not valid JSON' }]);
  }
}
