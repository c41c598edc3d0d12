import { isEventwireError } from '@eventwire/core';
import { describe, expect, it } from 'vitest';
import { electLeader } from '../electLeader.js';

// Node 20 has no navigator.locks: the error must say so, and what to do instead.
describe('electLeader without Web Locks', () => {
  it('rejects with UNSUPPORTED_RUNTIME and advice', async () => {
    const error: unknown = await electLeader('anything').catch((thrown: unknown) => thrown);
    expect(isEventwireError(error, 'UNSUPPORTED_RUNTIME')).toBe(true);
    expect((error as Error).message).toMatch(/WebLocks is not available.*SharedWorker/);
  });

  it("leads an election of one when asked to with unsupported: 'lead'", async () => {
    const election = await electLeader('alone', { unsupported: 'lead' });
    expect(election.isLeader).toBe(true);
    await election.whenLeader();
    await election.abdicate();
    expect(election.isLeader).toBe(false);
  });
});
