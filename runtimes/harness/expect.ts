import {
  ASYMMETRIC_MATCHERS_OBJECT,
  ChaiStyleAssertions,
  chai,
  customMatchers,
  getState,
  JestAsymmetricMatchers,
  JestChaiExpect,
  JestExtend,
  setState,
  addCustomEqualityTesters,
} from '@vitest/expect';
import type { ExpectStatic } from 'vitest';

/**
 * vitest's own `expect` (the `@vitest/expect` package on chai), assembled the way vitest does it
 * but with no test runner behind it, so the same matchers run in every runtime.
 */
chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(ChaiStyleAssertions);
chai.use(JestAsymmetricMatchers);

interface PollOptions {
  timeout?: number;
  interval?: number;
}

type Callable = (...args: unknown[]) => unknown;

function createExpect(): ExpectStatic {
  const expect = ((value: unknown, message?: string) => {
    const { assertionCalls } = getState(expect);
    setState({ assertionCalls: assertionCalls + 1 }, expect);
    return chai.expect(value, message);
  }) as unknown as ExpectStatic;
  const loose = expect as unknown as Record<string, unknown>;
  Object.assign(expect, chai.expect);
  Object.assign(expect, (globalThis as Record<PropertyKey, unknown>)[ASYMMETRIC_MATCHERS_OBJECT]);
  expect.getState = () => getState(expect);
  expect.setState = (state) => setState(state, expect);
  expect.assert = chai.assert;
  expect.extend = (matchers) => (chai.expect as unknown as { extend(target: unknown, m: unknown): void }).extend(expect, matchers);
  loose['addEqualityTesters'] = addCustomEqualityTesters;
  loose['soft'] = (value: unknown, message?: string) => expect(value, message);
  loose['poll'] = createPoll(expect);
  expect.unreachable = (message?: string) => {
    chai.assert.fail(`expected${message ? ` "${message}" ` : ' '}not to be reached`);
  };
  expect.assertions = (expected: number) => setState({ expectedAssertionsNumber: expected }, expect);
  expect.hasAssertions = () => setState({ isExpectingAssertions: true }, expect);
  expect.extend(customMatchers);
  resetAssertionState(expect);
  return expect;
}

/** `expect.poll(fn).toBe(x)`: calls `fn` until the matcher passes or the timeout ends. */
function createPoll(expect: ExpectStatic) {
  return (read: () => unknown, options: PollOptions = {}) => {
    const timeout = options.timeout ?? 5000;
    const interval = options.interval ?? 20;
    const matchers = (negate: boolean): object =>
      new Proxy({}, {
        get(_, key) {
          if (key === 'not') return matchers(!negate);
          return async (...args: unknown[]) => {
            const deadline = Date.now() + timeout;
            for (;;) {
              try {
                const assertion = expect(await read()) as unknown as Record<string, unknown>;
                const target = (negate ? assertion['not'] : assertion) as Record<PropertyKey, Callable>;
                return await target[key]!(...args);
              } catch (error) {
                if (Date.now() >= deadline) throw error;
                await new Promise((resolve) => setTimeout(resolve, interval));
              }
            }
          };
        },
      });
    return matchers(false);
  };
}

function resetAssertionState(expect: ExpectStatic): void {
  setState(
    { assertionCalls: 0, isExpectingAssertions: false, isExpectingAssertionsError: null, expectedAssertionsNumber: null, expectedAssertionsNumberErrorGen: null, currentTestName: '' },
    expect,
  );
}

/** The one `expect` of the harness. */
export const expect = createExpect();

/** Starts a test's assertion bookkeeping (`expect.assertions(n)`). */
export function beginAssertions(testName: string): void {
  resetAssertionState(expect);
  setState({ currentTestName: testName }, expect);
}

/** Throws when the test declared an assertion count it did not reach. */
export function checkAssertions(): void {
  const state = getState(expect);
  if (state.expectedAssertionsNumber !== null && state.expectedAssertionsNumber !== state.assertionCalls) {
    throw new Error(`expected number of assertions to be ${state.expectedAssertionsNumber}, but got ${state.assertionCalls}`);
  }
  if (state.isExpectingAssertions && state.assertionCalls === 0) throw new Error('expected any number of assertion, but got none');
}
