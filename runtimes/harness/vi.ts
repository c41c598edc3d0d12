import { clearAllMocks, fn, isMockFunction, resetAllMocks, restoreAllMocks, spyOn } from '@vitest/spy';

interface WaitOptions {
  timeout?: number;
  interval?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `vi.waitFor`: retries `check` until it stops throwing (waiting only, never a timed assertion). */
async function waitFor<T>(check: () => T | Promise<T>, options: WaitOptions | number = {}): Promise<T> {
  const { timeout = 5000, interval = 20 } = typeof options === 'number' ? { timeout: options } : options;
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await sleep(interval);
    }
  }
}

/** `vi.waitUntil`: retries `check` until it returns a truthy value. */
async function waitUntil<T>(check: () => T | Promise<T>, options: WaitOptions | number = {}): Promise<T> {
  return waitFor(async () => {
    const value = await check();
    if (!value) throw new Error('vi.waitUntil: the condition is still false');
    return value;
  }, options);
}

function unsupported(name: string): never {
  throw new Error(`vi.${name} is not available in the portable runtime harness (runtimes/harness): keep such tests in *.node.test.ts or *.browser.test.ts`);
}

/**
 * The part of vitest's `vi` that works in every runtime: mocks and spies (`@vitest/spy`, which
 * vitest itself uses) and waiting helpers. Module mocking and fake timers need vitest's runner.
 */
export const vi = {
  fn,
  spyOn,
  isMockFunction,
  mocked: <T>(value: T): T => value,
  clearAllMocks,
  resetAllMocks,
  restoreAllMocks,
  waitFor,
  waitUntil,
  useFakeTimers: () => unsupported('useFakeTimers'),
  mock: () => unsupported('mock'),
  stubGlobal: () => unsupported('stubGlobal'),
};
