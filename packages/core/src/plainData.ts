import { EventwireError } from './errors.js';

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
  const copy = walk(value, true, 0, undefined);
  return copy === BAIL ? walk(value, true, 0, new Trail(path)) : copy;
}

/**
 * The checks of {@link toFrozenPlainData} without the copy: throws the same errors (symbol keys
 * aside: nothing checked here is kept, and what is kept is copied, and checked, later),
 * allocates nothing. For input that is read field by field afterwards (an envelope from a
 * transport).
 *
 * @example
 * ```ts
 * assertPlainData(JSON.parse(body), 'event'); // FORBIDDEN_KEY, NOT_SERIALIZABLE
 * ```
 * @internal
 */
export function assertPlainData(value: unknown, path = 'value'): void {
  if (walk(value, false, 0, undefined) === BAIL) walk(value, false, 0, new Trail(path));
}

/**
 * One walk, run in two ways. Without a trail (first) it keeps no ancestors and builds no paths:
 * at the first thing that is not plainly fine (an error to report, a cycle, or merely data
 * nested deeper than {@link QUICK_DEPTH}) it gives up with {@link BAIL}. Then it runs again with
 * a trail (the objects on the way down, to find cycles, and the keys to them), which throws the
 * precise error or returns the same result. The path string is built only for an error.
 */
const BAIL: unique symbol = Symbol('bail');
const QUICK_DEPTH = 32;

class Trail {
  readonly ancestors: object[] = [];
  readonly keys: (string | number)[] = [];

  constructor(readonly root: string) {}

  path(): string {
    let path = this.root;
    for (const key of this.keys) path += typeof key === 'number' ? `[${key}]` : `.${key}`;
    return path;
  }
}

/** Gives up without a trail; throws NOT_SERIALIZABLE with one. */
function fail(trail: Trail | undefined, what: string): typeof BAIL {
  if (trail === undefined) return BAIL;
  throw notSerializable(trail.path(), what);
}

function walk(value: unknown, copies: boolean, depth: number, trail: Trail | undefined): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : fail(trail, `the number ${String(value)}`);
    case 'object':
      if (value === null) return null;
      break;
    default:
      return fail(trail, `a ${typeof value}`);
  }
  if (trail === undefined) {
    if (depth === QUICK_DEPTH) return BAIL;
  } else {
    if (trail.ancestors.includes(value)) return fail(trail, 'a circular reference');
    trail.ancestors.push(value);
  }
  let result: unknown;
  if (Array.isArray(value)) {
    const copy: unknown[] | undefined = copies ? [] : undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      trail?.keys.push(i);
      // JSON turns an undefined array item (or a hole) into null while structuredClone keeps it: refuse both.
      const itemCopy = item === undefined ? fail(trail, 'undefined inside an array') : walk(item, copies, depth + 1, trail);
      if (itemCopy === BAIL) return BAIL;
      trail?.keys.pop();
      copy?.push(itemCopy);
    }
    result = copy === undefined ? value : Object.freeze(copy);
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return fail(trail, `an instance of ${describeClass(value)}`);
    // Symbol keys are looked for when copying only: a copy would drop them silently. A check
    // alone skips the lookup (it allocates an array per object), as nothing it checks is kept.
    if (copies && Object.getOwnPropertySymbols(value).length > 0) return fail(trail, 'a symbol key');
    const copy: Record<string, unknown> | undefined = copies ? {} : undefined;
    for (const key of Object.keys(value)) {
      // Keys that would reach a prototype when copied with plain assignment, or that let a
      // payload impersonate one. JSON.parse happily produces an own `__proto__` key.
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
        if (trail === undefined) return BAIL;
        const path = trail.path();
        throw new EventwireError('FORBIDDEN_KEY', `${path} has the forbidden key "${key}"`, { details: { path: `${path}.${key}` } });
      }
      trail?.keys.push(key);
      const fieldCopy = walk((value as Record<string, unknown>)[key], copies, depth + 1, trail);
      if (fieldCopy === BAIL) return BAIL;
      trail?.keys.pop();
      if (copy !== undefined && fieldCopy !== undefined) copy[key] = fieldCopy;
    }
    result = copy === undefined ? value : Object.freeze(copy);
  }
  trail?.ancestors.pop();
  return result;
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
