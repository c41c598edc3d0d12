import { describe, expect, it } from 'vitest';
import { isEventwireError, probeBroadcastChannel, requireIndexedDB, requireWebLocks } from '@eventwire/core';

describe('capabilities of Node, found by using them', () => {
  it('has a BroadcastChannel that delivers', async () => {
    await expect(probeBroadcastChannel()).resolves.toBeUndefined();
  });

  it('has no IndexedDB, and says to use InMemoryEventStore', () => {
    expect(() => requireIndexedDB()).toThrow(/IndexedDB is not available in this runtime.*InMemoryEventStore/);
  });

  it('has no Web Locks before Node 22 and a working navigator.locks from Node 22 on', async () => {
    const major = Number(process.versions.node.split('.')[0]);
    const outcome = await requireWebLocks().then(() => 'granted', (error: unknown) => (isEventwireError(error, 'UNSUPPORTED_RUNTIME') ? 'unsupported' : error));
    expect(outcome).toBe(major >= 22 ? 'granted' : 'unsupported');
  });
});
