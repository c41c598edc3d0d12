import { beginAssertions, checkAssertions } from './expect.js';
import { rootSuite, type HookFunction, type Suite, type TestCase, type TestContext } from './testTree.js';

/** The counts one runtime reports; `suites` names the top-level suites (test files) that ran. */
export interface MatrixReport {
  readonly runtime: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly files: readonly string[];
}

/** Receives one line of human-readable output as the run goes. */
export type LineSink = (line: string) => void;

const DEFAULT_TIMEOUT_MS = 30_000;
/** A test may ask for more time, but a hang must not stall `npm test` for its full timeout. */
const MAX_TIMEOUT_MS = 120_000;
const HOOK_TIMEOUT_MS = 30_000;

class SkipSignal extends Error {}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Runs every collected test in declaration order, one at a time, and reports through `print`. */
export async function runCollected(runtime: string, print: LineSink): Promise<MatrixReport> {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  const root = rootSuite();
  for (const file of root.children) {
    const before = { ...counts };
    if (file.kind === 'suite') await runSuite(file, [], [], counts, print);
    else await runTest(file, [], [], counts, print);
    print(`file ${file.name}: ${counts.passed - before.passed} passed, ${counts.failed - before.failed} failed, ${counts.skipped - before.skipped} skipped`);
  }
  return { runtime, ...counts, files: root.children.map((child) => child.name) };
}

async function runSuite(suite: Suite, path: string[], eachHooks: Suite[], counts: Counts, print: LineSink): Promise<void> {
  const chain = [...eachHooks, suite];
  if (suite.mode !== 'run') {
    countSkipped(suite, path, counts, print);
    return;
  }
  const teardowns: HookFunction[] = [];
  const setupError = await runHooks(suite.hooks.beforeAll, teardowns);
  for (const child of suite.children) {
    const childPath = suite.name === '' ? path : [...path, suite.name];
    if (setupError !== undefined) {
      failAll(child, childPath, setupError, counts, print);
    } else if (child.kind === 'suite') {
      await runSuite(child, childPath, chain, counts, print);
    } else {
      await runTest(child, childPath, chain, counts, print);
    }
  }
  const teardownError = await runHooks([...teardowns.reverse(), ...suite.hooks.afterAll], []);
  if (teardownError !== undefined) {
    counts.failed += 1;
    print(`  FAIL ${[...path, suite.name].join(' > ')} > (afterAll): ${describeError(teardownError)}`);
  }
}

async function runTest(test: TestCase, path: string[], chain: Suite[], counts: Counts, print: LineSink): Promise<void> {
  const title = [...path, test.name].join(' > ');
  if (test.mode === 'skip' || test.mode === 'todo' || test.fn === undefined) {
    counts.skipped += 1;
    print(`  ${test.mode === 'todo' ? 'TODO' : 'SKIP'} ${title}`);
    return;
  }
  const finished: HookFunction[] = [];
  const onFailed: HookFunction[] = [];
  const teardowns: HookFunction[] = [];
  const abort = new AbortController();
  const context: TestContext = {
    task: { name: test.name },
    signal: abort.signal,
    skip: (note) => {
      throw new SkipSignal(note ?? 'skipped');
    },
    onTestFinished: (fn) => void finished.push(fn),
    onTestFailed: (fn) => void onFailed.push(fn),
  };
  beginAssertions(title);
  let error = await runHooks(chain.flatMap((suite) => suite.hooks.beforeEach), teardowns);
  if (error === undefined) error = await runBody(test, context);
  if (error === undefined) error = capture(checkAssertions);
  abort.abort();
  const afterHooks = [...teardowns.reverse(), ...[...chain].reverse().flatMap((suite) => [...suite.hooks.afterEach].reverse())];
  const afterError = await runHooks(afterHooks, []);
  if (error !== undefined && !(error instanceof SkipSignal)) await runHooks(onFailed, []);
  const finishError = await runHooks(finished, []);
  error = settleExpectedFailure(test, error ?? afterError ?? finishError);
  if (error instanceof SkipSignal) {
    counts.skipped += 1;
    print(`  SKIP ${title} (${error.message})`);
  } else if (error === undefined) {
    counts.passed += 1;
    print(`  ok   ${title}`);
  } else {
    counts.failed += 1;
    print(`  FAIL ${title}\n       ${describeError(error).split('\n').join('\n       ')}`);
  }
}

/** `it.fails`: a failure is the expected outcome, a pass is the failure. */
function settleExpectedFailure(test: TestCase, error: unknown): unknown {
  if (test.mode !== 'fails' || error instanceof SkipSignal) return error;
  return error === undefined ? new Error('expected this test to fail (it.fails), but it passed') : undefined;
}

async function runBody(test: TestCase, context: TestContext): Promise<unknown> {
  try {
    await withTimeout(() => test.fn!(context), Math.min(test.timeoutMs ?? DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS), 'test');
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Waits for `fn` at most `timeoutMs`: a hung test or hook fails instead of stalling the runtime. */
async function withTimeout<T>(fn: () => T, timeoutMs: number, what: string): Promise<Awaited<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(fn), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs hooks in order; a hook that returns a function registers it as its teardown. */
async function runHooks(hooks: readonly HookFunction[], teardowns: HookFunction[]): Promise<unknown> {
  for (const hook of hooks) {
    try {
      const result = await withTimeout(hook, HOOK_TIMEOUT_MS, 'hook');
      if (typeof result === 'function') teardowns.push(result as HookFunction);
    } catch (error) {
      return error;
    }
  }
  return undefined;
}

function capture(fn: () => void): unknown {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error;
  }
}

function countSkipped(node: Suite | TestCase, path: string[], counts: Counts, print: LineSink): void {
  if (node.kind === 'test') {
    counts.skipped += 1;
    print(`  SKIP ${[...path, node.name].join(' > ')}`);
    return;
  }
  for (const child of node.children) countSkipped(child, [...path, node.name], counts, print);
}

function failAll(node: Suite | TestCase, path: string[], error: unknown, counts: Counts, print: LineSink): void {
  if (node.kind === 'test') {
    counts.failed += 1;
    print(`  FAIL ${[...path, node.name].join(' > ')} (beforeAll failed: ${describeError(error)})`);
    return;
  }
  for (const child of node.children) failAll(child, [...path, node.name], error, counts, print);
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const stack = error.stack?.split('\n').slice(1, 4).join('\n') ?? '';
    return `${error.name}: ${error.message}${stack === '' ? '' : `\n${stack}`}`;
  }
  return String(error);
}
