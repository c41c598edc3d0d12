import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, InMemoryCheckpointStore, InMemoryEventStore, ProjectionRunner } from '@eventwire/core';
import type { InspectionRecord, ReportedRecord, StoredEvent } from '@eventwire/core';

const Counted = defineEvent('Counted', z.object({ n: z.number() }));

describe('ProjectionRunner', () => {
  it('catches up from the checkpoint, then follows live, applying each event once', async () => {
    const store = new InMemoryEventStore();
    const checkpoints = new InMemoryCheckpointStore();
    await store.append('c-1', [1, 2, 3].map((n) => Counted.create({ n })));
    await checkpoints.commit('sum', 1);
    const seen: number[] = [];
    const runner = new ProjectionRunner({ name: 'sum', store, checkpoints, batchSize: 2, handler: (stored) => void seen.push(stored.position) });
    await runner.start();
    expect(seen).toEqual([2, 3]);
    expect(runner.status).toBe('live');
    await store.append('c-1', [Counted.create({ n: 4 })]);
    await runner.waitFor(4);
    expect(seen).toEqual([2, 3, 4]);
    expect(await checkpoints.get('sum')).toBe(4);
    runner.stop();
    expect(runner.status).toBe('stopped');
  });

  it('commits the events before a failing one and stops at it', async () => {
    const store = new InMemoryEventStore();
    const checkpoints = new InMemoryCheckpointStore();
    await store.append('c-1', [1, 2, 3, 4].map((n) => Counted.create({ n })));
    const seen: number[] = [];
    const runner = new ProjectionRunner({
      name: 'fails',
      store,
      checkpoints,
      handler: (stored: StoredEvent) => {
        if (stored.position === 3) throw new Error('boom');
        seen.push(stored.position);
      },
    });
    await expect(runner.start()).rejects.toThrow('boom');
    expect(runner.status).toBe('failed');
    expect(await checkpoints.get('fails')).toBe(2);
    await expect(runner.waitFor(4)).rejects.toThrow('boom');
  });

  it('reports checkpoints with their lag', async () => {
    const store = new InMemoryEventStore();
    const records: ReportedRecord[] = [];
    await store.append('c-1', [Counted.create({ n: 1 }), Counted.create({ n: 2 })]);
    const runner = new ProjectionRunner({ name: 'r', store, checkpoints: new InMemoryCheckpointStore(), handler: () => {}, reporter: { report: (r) => void records.push(r) } });
    await runner.start();
    runner.stop();
    expect(records).toEqual([{ type: 'checkpoint', projection: 'r', position: 2, lag: 0 }] satisfies Partial<InspectionRecord>[]);
  });
});
