import { describe, expect, it } from 'vitest';
import { packEvents, unpackEvents } from '@eventwire/core';

const event = Object.freeze({ id: 'e1', type: 'Clicked', occurredAt: '2026-01-01T00:00:00.000Z', data: { n: 1 } });

describe('packEvents / unpackEvents', () => {
  it('carries a batch as one JSON string and back', () => {
    const packed = packEvents([event, event]);
    expect(typeof packed).toBe('string');
    expect(unpackEvents({ packed })).toEqual([event, event]);
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
