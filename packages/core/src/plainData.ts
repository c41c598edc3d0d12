import { EventwireError } from './errors.js';

// Keys that would reach a prototype when copied with plain assignment, or that let a payload
// impersonate one. JSON.parse happily produces an own `__proto__` key.
const forbiddenKeys: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Copies `value` into fresh, deeply frozen plain data, or throws an {@link EventwireError}:
 * `FORBIDDEN_KEY` for `__proto__` / `constructor` / `prototype` keys, `NOT_SERIALIZABLE` for
 * anything that would not survive both JSON and `structuredClone` unchanged (functions,
 * symbols, bigints, non-finite numbers, class instances such as `Date` or `Map`, cycles).
 *
 * @param value the data to copy
 * @param path where the value sits, for the error message (`data.items[2].sku`)
 * @returns a frozen copy made only of objects, arrays, strings, finite numbers, booleans and null
 *
 * @example
 * ```ts
 * const safe = toFrozenPlainData(JSON.parse(body), 'data');
 * ```
 */
export function toFrozenPlainData(value: unknown, path = 'value'): unknown {
  return copy(value, path, []);
}

function copy(value: unknown, path: string, ancestors: object[]): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      throw notSerializable(path, `the number ${String(value)}`);
    case 'object':
      if (value === null) return null;
      return copyObject(value, path, ancestors);
    default:
      throw notSerializable(path, `a ${typeof value}`);
  }
}

function copyObject(value: object, path: string, ancestors: object[]): unknown {
  if (ancestors.includes(value)) throw notSerializable(path, 'a circular reference');
  ancestors.push(value);
  try {
    if (Array.isArray(value)) return Object.freeze(value.map((item, i) => copyItem(item, `${path}[${i}]`, ancestors)));
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw notSerializable(path, `an instance of ${describeClass(value)}`);
    }
    if (Object.getOwnPropertySymbols(value).length > 0) throw notSerializable(path, 'a symbol key');
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (forbiddenKeys.has(key)) {
        throw new EventwireError('FORBIDDEN_KEY', `${path} has the forbidden key "${key}"`, {
          details: { path: `${path}.${key}` },
        });
      }
      const item = copy((value as Record<string, unknown>)[key], `${path}.${key}`, ancestors);
      if (item !== undefined) result[key] = item;
    }
    return Object.freeze(result);
  } finally {
    ancestors.pop();
  }
}

function copyItem(item: unknown, path: string, ancestors: object[]): unknown {
  // JSON turns an undefined array item into null while structuredClone keeps it: refuse both.
  if (item === undefined) throw notSerializable(path, 'undefined inside an array');
  return copy(item, path, ancestors);
}

function describeClass(value: object): string {
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'a class';
}

function notSerializable(path: string, what: string): EventwireError<'NOT_SERIALIZABLE'> {
  return new EventwireError(
    'NOT_SERIALIZABLE',
    `${path} holds ${what}, which does not survive JSON and structuredClone; use plain objects, arrays, strings, finite numbers, booleans and null`,
    { details: { path } },
  );
}
