/**
 * Every error eventwire raises carries one of these codes. The union is closed so that a
 * `switch (error.code)` is exhaustive, and the codes survive serialization where classes don't.
 */
export const errorCodes = [
  'INVALID_EVENT',
  'INVALID_ARGUMENT',
  'UNKNOWN_EVENT_TYPE',
  'DUPLICATE_EVENT_TYPE',
  'SCHEMA_VALIDATION_FAILED',
  'ASYNC_SCHEMA_UNSUPPORTED',
  'FORBIDDEN_KEY',
  'NOT_SERIALIZABLE',
  'UPCAST_FAILED',
  'HANDLER_FAILED',
  'BUS_SHUT_DOWN',
  'CONCURRENCY_CONFLICT',
  'AGGREGATE_NOT_FOUND',
  'INVALID_AGGREGATE_STATE',
  'STORE_FAILED',
  'STORE_CLOSED',
  'QUOTA_EXCEEDED',
  'TRANSACTION_ABORTED',
  'TRANSPORT_CLOSED',
  'TRANSPORT_FAILED',
  'MESSAGE_REJECTED',
  'TIMEOUT',
  'WORKER_TERMINATED',
  'UNSUPPORTED_RUNTIME',
  'DEAD_LETTER_NOT_FOUND',
  'DEVTOOLS_PROTOCOL_MISMATCH',
] as const;

/** A code from {@link errorCodes}. */
export type EventwireErrorCode = (typeof errorCodes)[number];

/** The plain-data form of an error: what crosses threads, tabs and the network. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: EventwireErrorCode;
  readonly stack?: string;
  readonly details?: unknown;
}

const knownCodes: ReadonlySet<string> = /* @__PURE__ */ new Set(errorCodes);

/**
 * The one error class of eventwire. `code` says what went wrong; `details` carries plain data
 * about it (the decode issues, the expected and actual versions, ...).
 *
 * @example
 * ```ts
 * try {
 *   await store.append('Order-1', [event], { expectedVersion: 0 });
 * } catch (error) {
 *   if (isEventwireError(error, 'CONCURRENCY_CONFLICT')) reloadAndRetry();
 *   else throw error;
 * }
 * ```
 */
export class EventwireError<Code extends EventwireErrorCode = EventwireErrorCode> extends Error {
  override readonly name: string = 'EventwireError';
  readonly code: Code;
  readonly details: unknown;

  constructor(code: Code, message: string, options: { cause?: unknown; details?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  /** The plain form, so `JSON.stringify(error)` keeps the code. */
  toJSON(): SerializedError {
    return serializeError(this);
  }
}

/**
 * Whether `value` is an eventwire error, optionally with a given code. Matches on the code, not
 * only `instanceof`, so errors that crossed a thread or the network as plain data still match.
 *
 * @example
 * ```ts
 * if (isEventwireError(error, 'UNKNOWN_EVENT_TYPE')) console.warn(error.message);
 * ```
 */
export function isEventwireError<Code extends EventwireErrorCode>(
  value: unknown,
  code?: Code,
): value is EventwireError<Code> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { code?: unknown; message?: unknown };
  if (typeof candidate.code !== 'string' || !knownCodes.has(candidate.code)) return false;
  if (typeof candidate.message !== 'string') return false;
  return code === undefined || candidate.code === code;
}

/**
 * Turns any thrown value into plain, cloneable data. The stack of an `Error` is copied when the
 * result's `stack` is first read (by JSON, structured clone or any code), not before.
 *
 * @example
 * ```ts
 * port.postMessage({ failed: serializeError(error) });
 * ```
 */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const base = new SerializedErrorData(error);
    if (hasEventwireName(error)) {
      base.code = error.code;
      if (error.details !== undefined) base.details = toPlainDetails(error.details);
    }
    return base;
  }
  if (hasEventwireName(error)) return { name: 'EventwireError', message: error.message, code: error.code };
  return { name: 'Error', message: describeThrown(error) };
}

/**
 * The serialized form of an `Error`, whose `stack` is read from the error when it is first read
 * itself: formatting a stack costs V8 several microseconds, and most serialized errors (the
 * inspection records of failed handlers, dead letters) are never shown with their stack. The
 * property is an own enumerable accessor, so JSON, structured clone and spreads copy it like any
 * other; every instance shares one getter, so that V8 keeps one shape for them all.
 */
class SerializedErrorData {
  name: string;
  message: string;
  declare stack?: string;
  declare code?: EventwireErrorCode;
  declare details?: unknown;
  readonly #error: Error;
  static readonly #stack: PropertyDescriptor = {
    configurable: true,
    enumerable: true,
    get(this: SerializedErrorData): string | undefined {
      return this.#error.stack;
    },
  };

  constructor(error: Error) {
    this.name = error.name;
    this.message = error.message;
    this.#error = error;
    if ('stack' in error) Object.defineProperty(this, 'stack', SerializedErrorData.#stack);
  }
}

/**
 * An eventwire error as `serializeError` recognizes it: an instance (subclasses included), or
 * the plain form named `EventwireError`. Lighter than {@link isEventwireError} (no list of
 * codes), so that the bus alone does not ship the list.
 */
function hasEventwireName(value: unknown): value is EventwireError {
  if (value instanceof EventwireError) return true;
  const candidate = value as { name?: unknown; code?: unknown; message?: unknown } | null;
  return typeof candidate === 'object' && candidate !== null && candidate.name === 'EventwireError' && typeof candidate.code === 'string' && typeof candidate.message === 'string';
}

/**
 * Rebuilds an error from its plain form: an {@link EventwireError} when it has a code.
 *
 * @example
 * ```ts
 * const error = deserializeError(message.failed);
 * ```
 */
export function deserializeError(data: SerializedError): Error {
  const error =
    data.code !== undefined && knownCodes.has(data.code)
      ? new EventwireError(data.code, data.message, { details: data.details })
      : Object.assign(new Error(data.message), { name: data.name });
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}

function describeThrown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function toPlainDetails(details: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(details)) as unknown;
  } catch {
    return undefined;
  }
}
