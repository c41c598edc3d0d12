import { describe, expect, it } from 'vitest';
import { openBroadcastChannel, probeBroadcastChannel, requireIndexedDB, requireWebLocks } from '@eventwire/core';

describe('capabilities of a Chromium window, found by using them', () => {
  it('has a BroadcastChannel that delivers', async () => {
    await expect(probeBroadcastChannel()).resolves.toBeUndefined();
    const channel = openBroadcastChannel('eventwire:test:window');
    expect(channel).toBeInstanceOf(BroadcastChannel);
    channel.close();
  });

  it('has IndexedDB', () => {
    expect(requireIndexedDB()).toBe(indexedDB);
  });

  it('has Web Locks', async () => {
    expect(await requireWebLocks()).toBe(navigator.locks);
  });
});
