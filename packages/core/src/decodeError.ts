import { EventwireError, type EventwireErrorCode } from './errors.js';

/** One problem found while decoding: where it is and what is wrong. */
export interface DecodeIssue {
  readonly path: string;
  readonly message: string;
}

/** The codes an {@link EventDecodeError} can carry. */
export type DecodeErrorCode = Extract<
  EventwireErrorCode,
  | 'INVALID_EVENT'
  | 'UNKNOWN_EVENT_TYPE'
  | 'SCHEMA_VALIDATION_FAILED'
  | 'ASYNC_SCHEMA_UNSUPPORTED'
  | 'FORBIDDEN_KEY'
  | 'NOT_SERIALIZABLE'
  | 'UPCAST_FAILED'
>;

/**
 * Thrown when a value is not a valid event: a bad envelope, an unknown type, data failing its
 * schema, a forbidden key or data that cannot be cloned. `issues` lists every problem found.
 *
 * @example
 * ```ts
 * try {
 *   registry.decode(JSON.parse(message));
 * } catch (error) {
 *   if (error instanceof EventDecodeError) console.warn(error.issues);
 * }
 * ```
 */
export class EventDecodeError extends EventwireError<DecodeErrorCode> {
  override readonly name = 'EventDecodeError';
  readonly issues: readonly DecodeIssue[];

  constructor(code: DecodeErrorCode, issues: readonly DecodeIssue[], options: { cause?: unknown } = {}) {
    super(code, describe(code, issues), { ...options, details: { issues } });
    this.issues = issues;
  }
}

function describe(code: DecodeErrorCode, issues: readonly DecodeIssue[]): string {
  const listed = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return `Could not decode event (${code}): ${listed}`;
}
