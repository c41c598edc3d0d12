import type { AnyEvent, InspectionRecord, SerializedError, StoredEvent } from '@eventwire/core';

/** What replaces a sensitive value in everything the bridge sends. */
export const REDACTED = '[redacted]';

/**
 * Removes the fields an app marks sensitive from what the bridge sends. A rule is:
 * - a key name (`password`): that key at any depth of an event's `data` and `metadata`, and
 *   of error `details`;
 * - a path from the event (`data.payment.cardNumber`, `metadata.authToken`);
 * - a path for one event type (`OrderPlaced:data.customerEmail`).
 * Values are replaced by `[redacted]` on copies; the bus's events are never touched. Error stacks
 * are cut to their first lines.
 */
export interface Redactor {
  readonly active: boolean;
  event(event: AnyEvent): AnyEvent;
  storedEvent(stored: StoredEvent): StoredEvent;
  record(record: InspectionRecord): InspectionRecord;
  /** An error with its `details` redacted and its stack cut. */
  error(error: SerializedError): SerializedError;
}

interface PathRule {
  readonly eventType: string | undefined;
  readonly path: readonly string[];
}

/**
 * Compiles redaction rules once.
 * @example
 * ```ts
 * const redactor = createRedactor(['cardNumber', 'OrderPlaced:data.customerEmail']);
 * redactor.event(event).data.customerEmail; // '[redacted]'
 * ```
 */
export function createRedactor(rules: readonly string[] = []): Redactor {
  const keys = new Set<string>();
  const paths: PathRule[] = [];
  for (const rule of rules) {
    const [eventType, path] = rule.includes(':') ? (rule.split(':', 2) as [string, string]) : [undefined, rule];
    if (!path.includes('.') && eventType === undefined) keys.add(path);
    else paths.push({ eventType, path: path.split('.') });
  }
  const active = keys.size > 0 || paths.length > 0;

  const event = (original: AnyEvent): AnyEvent => {
    let copy = original;
    if (keys.size > 0) copy = withoutKeys(copy, keys, 0) as AnyEvent;
    for (const rule of paths) {
      if (rule.eventType === undefined || rule.eventType === original.type) copy = withoutPath(copy, original, rule.path, 0) as AnyEvent;
    }
    return copy;
  };
  const error = (original: SerializedError): SerializedError => {
    const compact = withShortStack(original);
    return keys.size === 0 || compact.details === undefined ? compact : { ...compact, details: withoutKeys(compact.details, keys, 0) };
  };

  return {
    active,
    event: active ? event : identity,
    storedEvent: active ? (stored) => ({ ...stored, event: event(stored.event) }) : identity,
    error,
    record(record) {
      switch (record.type) {
        case 'published':
          return active ? { ...record, event: event(record.event) } : record;
        case 'dispatched':
          return { ...record, event: active ? event(record.event) : record.event, failures: record.failures?.map((failure) => ({ index: failure.index, error: error(failure.error) })) };
        case 'failed':
        case 'rejected':
        case 'dead-lettered':
          return { ...record, error: error(record.error) };
        default:
          return record;
      }
    },
  };
}

/** Stack lines the devtools keep: enough to find the handler, without kilobytes per failure on the wire. */
const STACK_LINES = 12;

function withShortStack(error: SerializedError): SerializedError {
  const stack = error.stack;
  if (stack === undefined) return error;
  let end = -1;
  for (let line = 0; line < STACK_LINES; line++) {
    end = stack.indexOf('\n', end + 1);
    if (end === -1) return error;
  }
  // ASCII '...', not '…': one character outside Latin-1 makes the whole batch's JSON text
  // two bytes a character, which BroadcastChannel copies several times slower.
  return { ...error, stack: `${stack.slice(0, end)}\n    ...` };
}

function identity<T>(value: T): T {
  return value;
}

/** A copy of `value` without the given keys at any depth; the same object when none is found. */
function withoutKeys(value: unknown, keys: ReadonlySet<string>, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > 32) return value;
  // Copies lazily: this runs on every event sent, and allocates nothing when no key matches.
  if (Array.isArray(value)) {
    let items: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const next = withoutKeys(item, keys, depth + 1);
      if (next !== item) (items ??= value.slice())[i] = next;
    }
    return items ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const item = record[key];
    const next = keys.has(key) ? REDACTED : withoutKeys(item, keys, depth + 1);
    if (next !== item) (copy ??= { ...record })[key] = next;
  }
  return copy ?? value;
}

/**
 * `value` with the value at `path` redacted. `original` is what `value` was before this
 * redactor changed anything: where `value` is already a copy it is changed in place, not copied again.
 */
function withoutPath(value: unknown, original: unknown, path: readonly string[], index: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const key = path[index]!;
  const own = value !== original;
  if (Array.isArray(value) && key === '*') {
    return value.map((item: unknown, i) => withoutPath(item, own ? (original as unknown[] | undefined)?.[i] : item, path, index + 1));
  }
  const record = value as Record<string, unknown>;
  if (!(key in record)) return value;
  const inner = record[key];
  const next = index === path.length - 1 ? REDACTED : withoutPath(inner, own ? (original as Record<string, unknown> | undefined)?.[key] : inner, path, index + 1);
  if (next === inner) return value;
  if (!own) return { ...record, [key]: next };
  record[key] = next;
  return value;
}
