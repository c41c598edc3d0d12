import { describe, expect, it } from 'vitest';
import { InMemoryCheckpointStore } from '@eventwire/core';

describe('InMemoryCheckpointStore', () => {
  it('never moves back, keeps the checkpoint when apply throws, and serializes commits', async () => {
    const checkpoints = new InMemoryCheckpointStore();
    await checkpoints.commit('p', 5);
    await checkpoints.commit('p', 3);
    expect(await checkpoints.get('p')).toBe(5);
    await expect(checkpoints.commit('p', 9, () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await checkpoints.get('p')).toBe(5);
    const seen: number[] = [];
    await Promise.all([6, 7].map((position) => checkpoints.commit('p', position, (_tx, checkpoint) => void seen.push(checkpoint))));
    expect(seen).toEqual([5, 6]);
    expect(await checkpoints.list()).toEqual(new Map([['p', 7]]));
    await checkpoints.reset('p');
    expect(await checkpoints.get('p')).toBe(0);
  });
});
