import type { InspectionRecord } from '@eventwire/core';
import { describe, expect, it } from 'vitest';
import { RecordRing } from '../index.js';

const delivered = (n: number): InspectionRecord => ({ type: 'delivered', busId: 'b', time: n, eventId: `e${n}`, subscriptionId: 'b:1' });
const peer = (n: number): InspectionRecord => ({ type: 'peer', busId: 'b', time: n, status: 'joined', peer: { id: `p${n}`, kind: 'tab' } });

describe('RecordRing', () => {
  it('counts each record exactly once, whether a batch takes it or the ring overwrites it first', () => {
    const counted: number[] = [];
    const ring = new RecordRing(5, (record) => counted.push(record.time));
    for (let n = 0; n < 12; n++) ring.add(delivered(n));
    expect(counted).toEqual([0, 1, 2, 3, 4, 5, 6]); // overwritten: counted as they went
    ring.take(2);
    expect(counted).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    ring.add(delivered(12));
    ring.take(2);
    expect(counted).toHaveLength(13);
  });

  it('a batch takes the newest records and every topology record; the older event records are a range', () => {
    const ring = new RecordRing(100, () => {});
    ring.add(peer(0));
    for (let n = 1; n <= 10; n++) ring.add(delivered(n));
    const { records, skipped } = ring.take(3);
    expect(records.map((record) => record.time)).toEqual([0, 8, 9, 10]);
    expect(skipped).toEqual({ from: 0, to: 8, events: 0, deadLetters: 0 }); // the range's topology record was sent: a range returns event records only
    const range = ring.range(skipped!.from, skipped!.to);
    expect(range.records.map((record) => record.time)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(range.missing).toBe(0);
    expect(ring.take(3)).toEqual({ records: [], skipped: undefined }); // nothing new
  });

  it('keeps aside the topology records it overwrites before a batch, and says how much of a range is gone', () => {
    const ring = new RecordRing(4, () => {});
    ring.add(peer(0));
    for (let n = 1; n <= 9; n++) ring.add(delivered(n));
    const { records, skipped } = ring.take(2);
    expect(records.map((record) => record.time)).toEqual([0, 8, 9]); // the peer, overwritten, was kept aside
    expect(skipped).toMatchObject({ from: 0, to: 8 });
    const range = ring.range(skipped!.from, skipped!.to);
    expect(range.records.map((record) => record.time)).toEqual([6, 7]);
    expect(range.missing).toBe(6);
  });
});
