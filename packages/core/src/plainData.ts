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
  const copy = quick(value, true, 0);
  return copy === BAIL ? visit(value, new Walk(path, true)) : copy;
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
  if (quick(value, false, 0) === BAIL) visit(value, new Walk(path, false));
}

/**
 * The fast paths. They keep no ancestors and build no paths: at the first thing that is not
 * plainly fine (an error to report, a cycle, or merely data nested deeper than
 * {@link QUICK_DEPTH}) they give up, and the full walk below runs from the start, throws the
 * precise error or returns the same result. So they change the cost, never the outcome.
 */
const BAIL: unique symbol = Symbol('bail');
const QUICK_DEPTH = 32;

/** The fast walk: a frozen copy when `copies`, the value itself otherwise, or {@link BAIL}. */
function quick(value: unknown, copies: boolean, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : BAIL;
    case 'object':
      break;
    default:
      return BAIL;
  }
  if (value === null) return null;
  if (depth === QUICK_DEPTH) return BAIL;
  if (Array.isArray(value)) {
    const copy: unknown[] | undefined = copies ? [] : undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const itemCopy = item === undefined ? BAIL : quick(item, copies, depth + 1);
      if (itemCopy === BAIL) return BAIL;
      copy?.push(itemCopy);
    }
    return copy === undefined ? value : Object.freeze(copy);
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || (copies && Object.getOwnPropertySymbols(value).length > 0)) return BAIL;
  const copy: Record<string, unknown> | undefined = copies ? {} : undefined;
  for (const key of Object.keys(value)) {
    const fieldCopy = key === '__proto__' || key === 'constructor' || key === 'prototype' ? BAIL : quick((value as Record<string, unknown>)[key], copies, depth + 1);
    if (fieldCopy === BAIL) return BAIL;
    if (copy !== undefined && fieldCopy !== undefined) copy[key] = fieldCopy;
  }
  return copy === undefined ? value : Object.freeze(copy);
}

/**
 * One traversal: the objects on the way down (to find cycles) and the keys to them. The path
 * string of an error is built only when there is an error.
 */
class Walk {
  readonly ancestors: object[] = [];
  readonly keys: (string | number)[] = [];

  constructor(
    readonly root: string,
    readonly copies: boolean,
  ) {}

  path(): string {
    let path = this.root;
    for (const key of this.keys) path += typeof key === 'number' ? `[${key}]` : `.${key}`;
    return path;
  }
}

function visit(value: unknown, walk: Walk): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      throw notSerializable(walk.path(), `the number ${String(value)}`);
    case 'object':
      if (value === null) return null;
      return visitObject(value, walk);
    default:
      throw notSerializable(walk.path(), `a ${typeof value}`);
  }
}

function visitObject(value: object, walk: Walk): unknown {
  if (walk.ancestors.includes(value)) throw notSerializable(walk.path(), 'a circular reference');
  walk.ancestors.push(value);
  const copy = Array.isArray(value) ? visitItems(value, walk) : visitFields(value, walk);
  walk.ancestors.pop();
  return copy;
}

function visitItems(items: readonly unknown[], walk: Walk): unknown {
  const copy: unknown[] | undefined = walk.copies ? [] : undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    walk.keys.push(i);
    // JSON turns an undefined array item (or a hole) into null while structuredClone keeps it: refuse both.
    if (item === undefined) throw notSerializable(walk.path(), 'undefined inside an array');
    const itemCopy = visit(item, walk);
    walk.keys.pop();
    copy?.push(itemCopy);
  }
  return copy === undefined ? undefined : Object.freeze(copy);
}

function visitFields(value: object, walk: Walk): unknown {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw notSerializable(walk.path(), `an instance of ${describeClass(value)}`);
  }
  // Symbol keys are looked for when copying only: a copy would drop them silently. A check
  // alone skips the lookup (it allocates an array per object), as nothing it checks is kept.
  if (walk.copies && Object.getOwnPropertySymbols(value).length > 0) throw notSerializable(walk.path(), 'a symbol key');
  const copy: Record<string, unknown> | undefined = walk.copies ? {} : undefined;
  for (const key of Object.keys(value)) {
    if (forbiddenKeys.has(key)) {
      const path = walk.path();
      throw new EventwireError('FORBIDDEN_KEY', `${path} has the forbidden key "${key}"`, { details: { path: `${path}.${key}` } });
    }
    walk.keys.push(key);
    const fieldCopy = visit((value as Record<string, unknown>)[key], walk);
    walk.keys.pop();
    if (copy !== undefined && fieldCopy !== undefined) copy[key] = fieldCopy;
  }
  return copy === undefined ? undefined : Object.freeze(copy);
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
