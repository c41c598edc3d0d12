import type { AnyEvent } from '@eventwire/core';

/** An expected event: a real event (its type and data are compared) or just its type and data. */
export type ExpectedEvent = AnyEvent | { readonly type: string; readonly data?: unknown };

/**
 * A scenario that did not turn out as expected. `expected` and `actual` hold one line per
 * event, so test runners (vitest, jest) show a line diff next to the readable message.
 *
 * @example
 * ```ts
 * try { await scenario.then(TrickAdded.create({ trick: 'sit' })); }
 * catch (error) { if (error instanceof ScenarioFailure) console.log(error.actual); }
 * ```
 */
export class ScenarioFailure extends Error {
  override readonly name = 'ScenarioFailure';
  readonly expected: string;
  readonly actual: string;
  /** Tells test runners to print a diff of `expected` and `actual`. */
  readonly showDiff = true;

  constructor(message: string, expected: string, actual: string) {
    super(message);
    this.expected = expected;
    this.actual = actual;
  }
}

/** One event as a line: `TrickAdded {"trick":"sit"}`. @internal */
export function describeEvent(event: ExpectedEvent): string {
  return 'data' in event && event.data !== undefined ? `${event.type} ${stableJson(event.data)}` : event.type;
}

/** A numbered list of events, or `(no events)`. @internal */
export function describeEvents(events: readonly ExpectedEvent[]): string {
  if (events.length === 0) return '  (no events)';
  return events.map((event, i) => `  ${i + 1}. ${describeEvent(event)}`).join('\n');
}

/** Whether an actual event is the expected one: same type, and same data when data is given. @internal */
export function eventMatches(actual: AnyEvent, expected: ExpectedEvent): boolean {
  if (actual.type !== expected.type) return false;
  return !('data' in expected) || expected.data === undefined || stableJson(actual.data) === stableJson(expected.data);
}

/**
 * Compares events and throws a {@link ScenarioFailure} listing both sides and the first
 * difference when they differ. @internal
 */
export function assertEvents(title: string, actual: readonly AnyEvent[], expected: readonly ExpectedEvent[]): void {
  const firstDifference = Array.from({ length: Math.max(actual.length, expected.length) }, (_, i) => i).find(
    (i) => actual[i] === undefined || expected[i] === undefined || !eventMatches(actual[i]!, expected[i]!),
  );
  if (firstDifference === undefined) return;
  const want = expected[firstDifference];
  const got = actual[firstDifference];
  const message = [
    `${title}: the events differ at #${firstDifference + 1}: expected ${want === undefined ? 'no more events' : describeEvent(want)}, got ${got === undefined ? 'no more events' : describeEvent(got)}`,
    `Expected ${plural(expected.length)}:`,
    describeEvents(expected),
    `Actual ${plural(actual.length)}:`,
    describeEvents(actual),
  ].join('\n');
  throw new ScenarioFailure(message, describeEvents(expected), describeEvents(actual));
}

/** JSON with object keys sorted, so that equal data prints (and compares) the same. @internal */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/** `1 event`, `3 events`. @internal */
export function plural(count: number): string {
  return `${count} event${count === 1 ? '' : 's'}`;
}

/** An error as one line: `EventwireError [AGGREGATE_NOT_FOUND]: dog 7 is not registered`. @internal */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}`;
  }
  return String(error);
}
