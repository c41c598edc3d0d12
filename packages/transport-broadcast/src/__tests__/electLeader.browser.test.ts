import { defineEvent, InMemoryCheckpointStore, InMemoryEventBus, InMemoryEventStore, type LeaderRecord } from '@eventwire/core';
import { uniqueName } from '@eventwire/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { electLeader, type LeaderElection } from '../electLeader.js';
import { runProjectionOnLeader, runWhileLeader } from '../runOnLeader.js';

const waitFor = (assertion: () => void): Promise<void> => vi.waitFor(assertion, { timeout: 10_000, interval: 5 });
const elections: LeaderElection[] = [];
afterEach(async () => {
  await Promise.all(elections.splice(0).map((election) => election.abdicate()));
});

async function contenders(name: string, count: number): Promise<LeaderElection[]> {
  const joined: LeaderElection[] = [];
  for (let i = 0; i < count; i++) joined.push(await electLeader(name));
  elections.push(...joined);
  return joined;
}

const leadersOf = (group: readonly LeaderElection[]): LeaderElection[] => group.filter((election) => election.isLeader);

describe('electLeader (Web Locks, Chromium)', () => {
  it('elects exactly one leader, and the next one when it abdicates', async () => {
    const group = await contenders(uniqueName('election'), 4);
    await waitFor(() => expect(leadersOf(group)).toHaveLength(1));
    const seen = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const [leader] = leadersOf(group) as [LeaderElection];
      expect(seen.has(leader.id)).toBe(false);
      seen.add(leader.id);
      await leader.abdicate();
      expect(leader.isLeader).toBe(false);
      await waitFor(() => expect(leadersOf(group)).toHaveLength(1));
    }
    expect(seen.size).toBe(3);
  }, 30_000);

  it('tells listeners and the inspection stream, in order, and never two leaders at once', async () => {
    const bus = new InMemoryEventBus();
    const records: LeaderRecord[] = [];
    bus.inspect((record) => record.type === 'leader' && records.push(record));
    const name = uniqueName('election');
    const first = await electLeader(name, { reporter: bus });
    const second = await electLeader(name, { reporter: bus });
    elections.push(first, second);
    const changes: string[] = [];
    first.onLeaderChange((leading) => changes.push(`first:${leading}`));
    second.onLeaderChange((leading) => {
      changes.push(`second:${leading}`);
      // When the second takes over, the first has already stepped down.
      if (leading) expect(first.isLeader).toBe(false);
    });
    await first.whenLeader();
    await first.abdicate();
    await second.whenLeader();
    expect(changes).toEqual(['first:false', 'second:true']);
    expect(records.map((record) => [record.isLeader, record.leaderId])).toEqual([
      [true, first.id],
      [false, undefined],
      [true, second.id],
    ]);
  }, 30_000);

  it('abdicating while waiting leaves the queue without ever leading', async () => {
    const [leader, waiting, third] = await contenders(uniqueName('election'), 3);
    await leader!.whenLeader();
    const ledOnce: boolean[] = [];
    waiting!.onLeaderChange((leading) => ledOnce.push(leading));
    await waiting!.abdicate();
    await leader!.abdicate();
    await third!.whenLeader();
    expect(ledOnce).toEqual([]);
    expect(waiting!.isLeader).toBe(false);
  }, 30_000);
});

describe('runWhileLeader', () => {
  it('runs the task on the leader only, and moves it on takeover', async () => {
    const group = await contenders(uniqueName('task'), 3);
    const running = new Set<string>();
    const runs = group.map((election) =>
      runWhileLeader(election, () => {
        running.add(election.id);
        return { stop: () => void running.delete(election.id) };
      }),
    );
    await waitFor(() => expect(running.size).toBe(1));
    const [leader] = leadersOf(group) as [LeaderElection];
    expect([...running]).toEqual([leader.id]);
    await leader.abdicate();
    await waitFor(() => expect([...running]).toEqual(leadersOf(group).map((election) => election.id)));
    expect(running.has(leader.id)).toBe(false);
    await Promise.all(runs.map((run) => run.stop()));
    expect(running.size).toBe(0);
  }, 30_000);
});

const Tick = defineEvent('LeaderTick', z.object({ n: z.number() }));

describe('runProjectionOnLeader', () => {
  it('resumes from the shared checkpoint on takeover, applying each event once', async () => {
    const store = new InMemoryEventStore();
    const checkpoints = new InMemoryCheckpointStore();
    const applied: number[] = [];
    const options = { name: 'ticks', store, checkpoints, handler: (stored: { position: number }) => void applied.push(stored.position) };
    const group = await contenders(uniqueName('projection'), 2);
    const runs = group.map((election) => runProjectionOnLeader(election, options));
    for (let n = 0; n < 5; n++) await store.append('ticks', [Tick.create({ n })]);
    await waitFor(() => expect(applied).toEqual([1, 2, 3, 4, 5]));
    const [leader] = leadersOf(group) as [LeaderElection];
    await leader.abdicate();
    for (let n = 5; n < 10; n++) await store.append('ticks', [Tick.create({ n })]);
    await waitFor(() => expect(applied).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(await checkpoints.get('ticks')).toBe(10);
    const next = runs.find((run) => run.task !== undefined);
    expect(next?.task?.status).toBe('live');
    await Promise.all(runs.map((run) => run.stop()));
  }, 30_000);
});
