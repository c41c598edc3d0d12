import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineEvent, isEventwireError } from '@eventwire/core';
import { isoNow } from '../isoNow.js';

const Ticked = defineEvent('Ticked', z.object({ n: z.number() }));

describe('isoNow and the time of a new event', () => {
  afterEach(() => vi.useRealTimers());

  it('is the current time, to the millisecond, made anew when the clock moves', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-01T10:00:00.000Z'));
    expect(isoNow()).toBe('2026-03-01T10:00:00.000Z');
    expect(Ticked.create({ n: 1 }).occurredAt).toBe('2026-03-01T10:00:00.000Z');
    vi.setSystemTime(new Date('2026-03-01T10:00:00.001Z'));
    expect(Ticked.create({ n: 2 }).occurredAt).toBe('2026-03-01T10:00:00.001Z');
    vi.setSystemTime(new Date('2025-12-31T23:59:59.999Z'));
    expect(isoNow()).toBe('2025-12-31T23:59:59.999Z');
  });

  it('follows the real clock', () => {
    const before = Date.now();
    const at = Date.parse(Ticked.create({ n: 1 }).occurredAt);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('leaves a time the caller gives as given, and still refuses one that is not a date', () => {
    expect(Ticked.create({ n: 1 }, { occurredAt: '2020-01-01T00:00:00.000Z' }).occurredAt).toBe('2020-01-01T00:00:00.000Z');
    expect(Ticked.create({ n: 1 }, { occurredAt: new Date(0) }).occurredAt).toBe('1970-01-01T00:00:00.000Z');
    let error: unknown;
    try {
      Ticked.create({ n: 1 }, { occurredAt: 'yesterday-ish' });
    } catch (thrown) {
      error = thrown;
    }
    expect(isEventwireError(error, 'INVALID_ARGUMENT')).toBe(true);
  });
});
