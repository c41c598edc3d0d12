import { describe, expect, it } from 'vitest';
import { isEventwireError, probeBroadcastChannel, requireIndexedDB, requireWebLocks } from '@eventwire/core';

/**
 * What each runtime of the matrix offers, as eventwire's capability detection must find it by
 * using the API. A wrong row fails here, in that runtime.
 */
const expected: Record<string, { BroadcastChannel: boolean; IndexedDB: boolean; WebLocks: boolean }> = {
  node22: { BroadcastChannel: true, IndexedDB: false, WebLocks: false },
  deno: { BroadcastChannel: true, IndexedDB: false, WebLocks: true },
  bun: { BroadcastChannel: true, IndexedDB: false, WebLocks: false },
  workerd: { BroadcastChannel: false, IndexedDB: false, WebLocks: false },
  'chromium-dedicated-worker': { BroadcastChannel: true, IndexedDB: true, WebLocks: true },
  'chromium-shared-worker': { BroadcastChannel: true, IndexedDB: true, WebLocks: true },
};

async function outcome(use: () => unknown): Promise<boolean> {
  try {
    await use();
    return true;
  } catch (error) {
    if (isEventwireError(error, 'UNSUPPORTED_RUNTIME')) return false;
    throw error;
  }
}

describe(`capabilities of ${__MATRIX_RUNTIME__}, found by using them`, () => {
  const row = expected[__MATRIX_RUNTIME__];

  it('is a runtime the matrix knows', () => {
    expect(row).toBeDefined();
  });

  it(`BroadcastChannel ${row?.BroadcastChannel ? 'delivers' : 'is reported missing with UNSUPPORTED_RUNTIME'}`, async () => {
    expect(await outcome(() => probeBroadcastChannel())).toBe(row?.BroadcastChannel);
  });

  it(`IndexedDB ${row?.IndexedDB ? 'compares keys' : 'is reported missing with UNSUPPORTED_RUNTIME'}`, async () => {
    expect(await outcome(() => requireIndexedDB())).toBe(row?.IndexedDB);
  });

  it(`Web Locks ${row?.WebLocks ? 'grant a free lock' : 'are reported missing with UNSUPPORTED_RUNTIME'}`, async () => {
    expect(await outcome(() => requireWebLocks())).toBe(row?.WebLocks);
  });
});
