import { describe, expect, it } from 'vitest';
import { isEventwireError, probeBroadcastChannel, requireIndexedDB, requireWebLocks } from '@eventwire/core';

describe('capabilities of Node, found by using them', () => {
  it('has a BroadcastChannel that delivers', async () => {
    await expect(probeBroadcastChannel()).resolves.toBeUndefined();
  });

  it('has no IndexedDB, and says to use InMemoryEventStore', () => {
    expect(() => requireIndexedDB()).toThrow(/IndexedDB is not available in this runtime.*InMemoryEventStore/);
  });

  it('has no Web Locks on Node 20 and 22 (navigator.locks came with Node 24)', async () => {
    const major = Number(process.versions.node.split('.')[0]);
    const outcome = await requireWebLocks().then(() => 'granted', (error: unknown) => (isEventwireError(error, 'UNSUPPORTED_RUNTIME') ? 'unsupported' : error));
    expect(outcome).toBe(major >= 24 ? 'granted' : 'unsupported');
  });
});
