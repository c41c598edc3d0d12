import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deadLetterId, defineEvent, InMemoryDeadLetterStore, isEventwireError } from '@eventwire/core';
import type { ReportedRecord } from '@eventwire/core';

const Mailed = defineEvent('Mailed', z.object({ to: z.string() }));

describe('InMemoryDeadLetterStore', () => {
  it('adds, merges by consumer and event id, lists, replays and discards', async () => {
    const records: ReportedRecord[] = [];
    let now = 1000;
    const letters = new InMemoryDeadLetterStore({ reporter: { report: (r) => void records.push(r) }, now: () => now });
    const event = Mailed.create({ to: 'a@b.c' });
    await letters.add({ consumer: 'email', event, error: new Error('smtp down'), attempts: 3 });
    now = 2000;
    const merged = await letters.add({ consumer: 'email', event, error: new Error('still down'), attempts: 2 });
    expect(merged).toMatchObject({ id: deadLetterId('email', event.id), attempts: 5, firstFailedAt: 1000, lastFailedAt: 2000, error: { message: 'still down' } });
    expect(await letters.list({ consumer: 'email' })).toHaveLength(1);
    expect(records.map((r) => r.type)).toEqual(['dead-lettered', 'dead-lettered']);

    await expect(letters.replay(merged.id, () => Promise.reject(new Error('again')))).rejects.toThrow('again');
    expect((await letters.get(merged.id))?.attempts).toBe(6);
    const replayed: string[] = [];
    await letters.replay(merged.id, (letter) => void replayed.push(letter.event.id));
    expect(replayed).toEqual([event.id]);
    expect(await letters.get(merged.id)).toBeUndefined();
    const error = await letters.replay(merged.id, () => {}).catch((e: unknown) => e);
    expect(isEventwireError(error, 'DEAD_LETTER_NOT_FOUND')).toBe(true);
    expect(await letters.discard(merged.id)).toBe(false);
  });
});
