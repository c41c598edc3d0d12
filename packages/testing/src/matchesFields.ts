/**
 * Whether `actual` contains `expected`: every key of `expected` is in `actual` with an equal
 * value, recursively for plain objects; arrays and other values must be equal.
 *
 * @example
 * ```ts
 * matchesFields({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } }); // true
 * ```
 */
export function matchesFields(actual: unknown, expected: unknown): boolean {
  if (Object.is(actual, expected)) return true;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((item, i) => matchesFields(actual[i], item));
  }
  if (typeof expected !== 'object' || expected === null || typeof actual !== 'object' || actual === null) return false;
  return Object.entries(expected).every(([key, value]) => key in actual && matchesFields((actual as Record<string, unknown>)[key], value));
}
