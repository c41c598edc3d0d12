import { describeError } from './scenarioFailure.js';

/**
 * What an expected error is matched against: an `EventwireError` code (`'AGGREGATE_NOT_FOUND'`),
 * an error class, a pattern or substring of the message, or a predicate.
 */
export type ErrorMatcher = string | RegExp | (abstract new (...args: never[]) => Error) | ((error: unknown) => boolean);

/** Whether `error` matches; a string matches the code or a part of the message. @internal */
export function errorMatches(error: unknown, matcher: ErrorMatcher): boolean {
  if (typeof matcher === 'string') {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    return code === matcher || (typeof message === 'string' && message.includes(matcher));
  }
  if (matcher instanceof RegExp) return matcher.test(describeError(error));
  if (isErrorClass(matcher)) return error instanceof matcher;
  return (matcher as (error: unknown) => boolean)(error);
}

/** How the matcher reads in a failure message. @internal */
export function describeMatcher(matcher: ErrorMatcher): string {
  if (typeof matcher === 'string') return `an error with code or message "${matcher}"`;
  if (matcher instanceof RegExp) return `an error matching ${String(matcher)}`;
  if (isErrorClass(matcher)) return `a ${matcher.name}`;
  return `an error accepted by ${matcher.name || 'the predicate'}`;
}

function isErrorClass(value: unknown): value is abstract new (...args: never[]) => Error {
  return typeof value === 'function' && (value === Error || (value as { prototype?: unknown }).prototype instanceof Error);
}
