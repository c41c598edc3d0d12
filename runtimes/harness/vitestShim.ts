/**
 * What test files get when they `import { describe, it, expect } from 'vitest'` in the runtime
 * matrix: the bundler aliases `vitest` to this module, so the same files run in Deno, Bun,
 * workerd, Node 22 and browser workers, where vitest's runner cannot.
 */
import { expectTypeOf } from 'expect-type';
import { collectInto, createSuite, currentSuite, type HookFunction, type TestFunction, type TestMode } from './testTree.js';

export { expect } from './expect.js';
export { vi } from './vi.js';
export { expectTypeOf };
/** Type-level only, as in vitest: does nothing at run time. */
export const assertType = (_value: unknown): void => {};
export const vitest = undefined;

type Table = readonly unknown[];

interface TestOptions {
  timeout?: number;
}

function addTest(name: string, fn: TestFunction | undefined, mode: TestMode, options?: TestOptions | number): void {
  const timeoutMs = typeof options === 'number' ? options : options?.timeout;
  const parentMode = currentSuite().mode;
  const effective: TestMode = parentMode === 'skip' || parentMode === 'todo' ? parentMode : mode;
  currentSuite().children.push({ kind: 'test', name, fn, mode: fn === undefined ? 'todo' : effective, timeoutMs });
}

/** Normalises `it(name, options, fn)` and `it(name, fn, options)`. */
function testArguments(a: unknown, b: unknown): [TestFunction | undefined, TestOptions | number | undefined] {
  if (typeof a === 'function') return [a as TestFunction, b as TestOptions | number | undefined];
  return [b as TestFunction | undefined, a as TestOptions | number | undefined];
}

/** vitest's `test.each` name formatting: `%s`, `%i`, `%d`, `%j`, `%o`, `%#`, `$field`. */
function formatName(template: string, row: unknown, index: number): string {
  const values = Array.isArray(row) ? [...row] : [row];
  let name = template.replace(/%[sdijfo#%]/g, (token) => {
    if (token === '%%') return '%';
    if (token === '%#') return String(index);
    const value = values.shift();
    if (token === '%j' || token === '%o') return JSON.stringify(value);
    if (token === '%i') return String(Math.trunc(Number(value)));
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  });
  if (typeof row === 'object' && row !== null && !Array.isArray(row)) {
    name = name.replace(/\$([A-Za-z_][\w.]*)/g, (_, key: string) => String((row as Record<string, unknown>)[key]));
  }
  return name;
}

function spread(row: unknown): unknown[] {
  return Array.isArray(row) ? row : [row];
}

function makeTest(mode: TestMode) {
  const declare = (name: string, a?: unknown, b?: unknown) => {
    const [fn, options] = testArguments(a, b);
    addTest(name, fn, mode, options);
  };
  return declare;
}

type Declare = ReturnType<typeof makeTest>;

function withModifiers(declare: Declare) {
  return Object.assign(declare, {
    skip: makeTest('skip'),
    only: declare,
    todo: (name: string) => addTest(name, undefined, 'todo'),
    fails: makeTest('fails'),
    concurrent: declare,
    sequential: declare,
    skipIf: (condition: unknown) => (condition ? makeTest('skip') : declare),
    runIf: (condition: unknown) => (condition ? declare : makeTest('skip')),
    each:
      (table: Table) =>
      (name: string, fn: (...args: unknown[]) => unknown, options?: TestOptions | number) =>
        table.forEach((row, index) => addTest(formatName(name, row, index), () => fn(...spread(row)), 'run', options)),
    for:
      (table: Table) =>
      (name: string, fn: (row: unknown, context: unknown) => unknown) =>
        table.forEach((row, index) => addTest(formatName(name, row, index), (context) => fn(row, context), 'run')),
  });
}

export const it = withModifiers(makeTest('run'));
export const test = it;

function makeDescribe(mode: TestMode) {
  return (name: string, a?: unknown, b?: unknown) => {
    const body = (typeof a === 'function' ? a : b) as (() => unknown) | undefined;
    const parentMode = currentSuite().mode;
    const suite = createSuite(name, parentMode === 'run' ? mode : parentMode);
    collectInto(suite, body ?? (() => undefined));
  };
}

export const describe = Object.assign(makeDescribe('run'), {
  skip: makeDescribe('skip'),
  only: makeDescribe('run'),
  todo: makeDescribe('todo'),
  concurrent: makeDescribe('run'),
  sequential: makeDescribe('run'),
  skipIf: (condition: unknown) => makeDescribe(condition ? 'skip' : 'run'),
  runIf: (condition: unknown) => makeDescribe(condition ? 'run' : 'skip'),
  each:
    (table: Table) =>
    (name: string, fn: (...args: unknown[]) => unknown) =>
      table.forEach((row, index) => makeDescribe('run')(formatName(name, row, index), () => fn(...spread(row)))),
});
export const suite = describe;

export const beforeAll = (fn: HookFunction) => void currentSuite().hooks.beforeAll.push(fn);
export const afterAll = (fn: HookFunction) => void currentSuite().hooks.afterAll.push(fn);
export const beforeEach = (fn: HookFunction) => void currentSuite().hooks.beforeEach.push(fn);
export const afterEach = (fn: HookFunction) => void currentSuite().hooks.afterEach.push(fn);
