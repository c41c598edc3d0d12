/**
 * The tree of suites and tests that the `vitest` shim collects while test files load. Plain
 * objects only: the harness runs in workerd and in workers, where nothing else is available.
 */

/** How a test or suite was declared: `it`, `it.skip`, `it.todo`, `it.fails`. */
export type TestMode = 'run' | 'skip' | 'todo' | 'fails';

/** What a test receives as its first argument (a subset of vitest's `TestContext`). */
export interface TestContext {
  readonly task: { readonly name: string };
  readonly signal: AbortSignal;
  skip(note?: string): never;
  onTestFinished(fn: () => unknown): void;
  onTestFailed(fn: () => unknown): void;
}

export type TestFunction = (context: TestContext) => unknown;
export type HookFunction = () => unknown;

export interface TestCase {
  readonly kind: 'test';
  readonly name: string;
  readonly fn: TestFunction | undefined;
  readonly mode: TestMode;
  readonly timeoutMs: number | undefined;
}

export interface Hooks {
  readonly beforeAll: HookFunction[];
  readonly afterAll: HookFunction[];
  readonly beforeEach: HookFunction[];
  readonly afterEach: HookFunction[];
}

export interface Suite {
  readonly kind: 'suite';
  readonly name: string;
  readonly mode: TestMode;
  readonly children: (Suite | TestCase)[];
  readonly hooks: Hooks;
}

/** Makes an empty suite. */
export function createSuite(name: string, mode: TestMode = 'run'): Suite {
  return { kind: 'suite', name, mode, children: [], hooks: { beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] } };
}

/** The root of everything collected, and the suite that `describe`/`it` currently add to. */
const root = createSuite('');
const stack: Suite[] = [root];

/** The suite being collected into. */
export function currentSuite(): Suite {
  return stack[stack.length - 1]!;
}

/** Collects `suite`'s children by running `body` with it as the current suite. */
export function collectInto(suite: Suite, body: () => unknown): void {
  currentSuite().children.push(suite);
  stack.push(suite);
  try {
    const result = body();
    if (result instanceof Promise) throw new Error(`describe('${suite.name}') returned a promise: the portable harness collects synchronously`);
  } finally {
    stack.pop();
  }
}

/** The root suite, for the runner. */
export function rootSuite(): Suite {
  return root;
}

/**
 * Collects one test file into its own top-level suite named after the file. `load` imports the
 * file (a dynamic import that the bundler inlines), so its `describe`/`it` calls land here.
 */
export async function collectFile(name: string, load: () => Promise<unknown>): Promise<void> {
  const suite = createSuite(name);
  root.children.push(suite);
  stack.push(suite);
  try {
    await load();
  } catch (error) {
    // A file that fails to load is one failed test, as in vitest, never a silent gap.
    suite.children.push({ kind: 'test', name: '(file failed to load)', mode: 'run', timeoutMs: undefined, fn: () => { throw error; } });
  } finally {
    stack.pop();
  }
}
