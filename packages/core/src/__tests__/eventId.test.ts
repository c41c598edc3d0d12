import { urlAlphabet } from 'nanoid';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent } from '@eventwire/core';
import { newEventId } from '../eventId.js';

// One refill of the pool serves 128 ids: these counts cross dozens of refills.
const many = 10_000;

describe('event ids from pooled randomness', () => {
  it('are 21 characters of the URL-safe alphabet', () => {
    for (let i = 0; i < 300; i++) expect(newEventId()).toMatch(/^[\w-]{21}$/);
  });

  it('never repeat across refills of the pool (bytes are used once)', () => {
    const ids = new Set(Array.from({ length: many }, () => newEventId()));
    expect(ids.size).toBe(many);
  });

  it('use the whole alphabet evenly', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < many; i++) for (const char of newEventId()) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...urlAlphabet].sort());
    // 210,000 characters over 64 symbols: about 3,281 each; a lost bit would halve some and double others.
    for (const count of counts.values()) expect(count).toBeGreaterThan(2_800);
    for (const count of counts.values()) expect(count).toBeLessThan(3_800);
  });

  it('are what create() gives an event without an id of its own', () => {
    const Pinged = defineEvent('Pinged', z.object({ n: z.number() }));
    const ids = Array.from({ length: 1_000 }, (_, n) => Pinged.create({ n }).id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[\w-]{21}$/);
    expect(Pinged.create({ n: 0 }, { id: 'mine' }).id).toBe('mine');
  });
});
