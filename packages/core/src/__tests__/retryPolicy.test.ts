import { describe, expect, it } from 'vitest';
import { retry, RetryPolicy } from '@eventwire/core';

const instant = async (): Promise<void> => {};

describe('RetryPolicy', () => {
  it('retries until success and says how many attempts it took', async () => {
    let calls = 0;
    const outcome = await new RetryPolicy({ attempts: 5, sleep: instant }).attempt(() => {
      calls++;
      if (calls < 3) throw new Error('flaky');
      return 'ok';
    });
    expect(outcome).toEqual({ ok: true, value: 'ok', attempts: 3 });
  });

  it('gives up after the attempts with the last error', async () => {
    const delays: number[] = [];
    const policy = new RetryPolicy({ attempts: 3, initialDelayMs: 10, sleep: async (ms) => void delays.push(ms) });
    let n = 0;
    const outcome = await policy.attempt(() => {
      throw new Error(`fail ${++n}`);
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.attempts).toBe(3);
    expect(!outcome.ok && (outcome.error as Error).message).toBe('fail 3');
    expect(delays).toEqual([10, 20]);
  });

  it('stops early when shouldRetry says so, and run() rethrows', async () => {
    let calls = 0;
    await expect(
      retry(
        () => {
          calls++;
          throw new TypeError('bad input');
        },
        { attempts: 5, sleep: instant, shouldRetry: (error) => !(error instanceof TypeError) },
      ),
    ).rejects.toThrow('bad input');
    expect(calls).toBe(1);
  });

  it('computes fixed, linear, exponential and capped delays', () => {
    expect([1, 2, 3].map((a) => new RetryPolicy({ backoff: 'fixed', initialDelayMs: 5 }).delayAfter(a))).toEqual([5, 5, 5]);
    expect([1, 2, 3].map((a) => new RetryPolicy({ backoff: 'linear', initialDelayMs: 5 }).delayAfter(a))).toEqual([5, 10, 15]);
    expect([1, 2, 6].map((a) => new RetryPolicy({ initialDelayMs: 5, maxDelayMs: 100 }).delayAfter(a))).toEqual([5, 10, 100]);
    expect(() => new RetryPolicy({ attempts: 0 })).toThrow(RangeError);
  });
});
