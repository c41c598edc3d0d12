import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, InMemoryEventStore, isConcurrencyError, type StoredEvent } from '@eventwire/core';

const Noted = defineEvent('Noted', z.object({ n: z.number() }));
const note = (n: number) => Noted.create({ n });

describe('InMemoryEventStore', () => {
  it('appends with expected versions and reads streams and the global log in order', async () => {
    const store = new InMemoryEventStore();
    await store.append('s-1', [note(1), note(2)], { expectedVersion: 'noStream' });
    await store.append('s-2', [note(3)], { expectedVersion: 0 });
    await store.append('s-1', [note(4)], { expectedVersion: 2 });
    expect((await store.readStream('s-1')).map((r) => [r.version, r.position])).toEqual([
      [1, 1],
      [2, 2],
      [3, 4],
    ]);
    expect((await store.readAll({ fromPosition: 2, limit: 2 })).map((r) => r.position)).toEqual([2, 3]);
    expect(await store.getStreamVersion('s-1')).toBe(3);
    expect(await store.getLastPosition()).toBe(4);
  });

  it('rejects a wrong expected version atomically', async () => {
    const store = new InMemoryEventStore();
    await store.append('s', [note(1)]);
    const error: unknown = await store.append('s', [note(2), note(3)], { expectedVersion: 0 }).catch((e: unknown) => e);
    expect(isConcurrencyError(error)).toBe(true);
    expect(await store.getLastPosition()).toBe(1);
  });

  it('skips event ids already stored (idempotent retries)', async () => {
    const store = new InMemoryEventStore();
    const events = [note(1), note(2)];
    await store.append('s', events, { expectedVersion: 0 });
    const retry = await store.append('s', events, { expectedVersion: 0 });
    expect(retry).toMatchObject({ stored: [], duplicates: 2, streamVersion: 2 });
    expect(await store.getLastPosition()).toBe(2);
  });

  it('subscribe catches up from a position, then follows live', async () => {
    const store = new InMemoryEventStore();
    await store.append('s', [note(1), note(2), note(3)]);
    const seen: number[] = [];
    const stop = store.subscribe((stored: StoredEvent) => void seen.push(stored.position), { fromPosition: 2 });
    await store.append('s', [note(4)]);
    await expect.poll(() => seen).toEqual([2, 3, 4]);
    stop();
    await store.append('s', [note(5)]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([2, 3, 4]);
  });

  it('refuses events that IndexedDB could not store (NOT_SERIALIZABLE) and writes nothing', async () => {
    const store = new InMemoryEventStore();
    const bad = { ...note(1), data: { when: new Date() } };
    await expect(store.append('s', [bad])).rejects.toMatchObject({ code: 'NOT_SERIALIZABLE' });
    expect(await store.getLastPosition()).toBe(0);
  });
});
