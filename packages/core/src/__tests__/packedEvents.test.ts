import { describe, expect, it } from 'vitest';
import { packEvents, toBatchMessage, unpackEvents } from '@eventwire/core';

const event = Object.freeze({ id: 'e1', type: 'Clicked', occurredAt: '2026-01-01T00:00:00.000Z', data: { n: 1 } });

describe('packEvents / unpackEvents', () => {
  it('carries a batch as one JSON string and back', () => {
    const packed = packEvents([event, event]);
    expect(typeof packed).toBe('string');
    expect(unpackEvents({ packed })).toEqual([event, event]);
  });

  it('posts a few events as objects and a burst packed, and reads both back', () => {
    const from = { id: 'p1', kind: 'tab' };
    const few = Array.from({ length: 8 }, () => event);
    const burst = Array.from({ length: 9 }, () => event);
    expect(toBatchMessage(from, few)).toEqual({ eventwire: 1, from, events: few });
    expect(toBatchMessage(from, burst)).toEqual({ eventwire: 1, from, packed: JSON.stringify(burst) });
    expect(unpackEvents(structuredClone(toBatchMessage(from, few)))).toEqual(few);
    expect(unpackEvents(structuredClone(toBatchMessage(from, burst)))).toEqual(burst);
  });

  it('reads the unpacked format of older senders', () => {
    expect(unpackEvents({ events: [event] })).toEqual([event]);
  });

  it('gives undefined for a message that holds no list, so the transport hands it on whole', () => {
    expect(unpackEvents({})).toBeUndefined();
    expect(unpackEvents({ packed: '{"not":"a list"}' })).toBeUndefined();
    expect(unpackEvents({ packed: 'not json' })).toBeUndefined();
    expect(unpackEvents({ events: 'not a list' })).toBeUndefined();
  });
});
