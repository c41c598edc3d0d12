import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedIdSet } from '@eventwire/core';

/** The obvious model: the remembered ids in arrival order, the oldest dropped past capacity. */
class ModelIdSet {
  readonly ids: string[] = [];
  constructor(readonly capacity: number) {}
  add(id: string): boolean {
    if (this.ids.includes(id)) return false;
    this.ids.push(id);
    return true;
  }
  has(id: string): boolean {
    return this.ids.includes(id);
  }
  delete(id: string): boolean {
    const index = this.ids.indexOf(id);
    if (index < 0) return false;
    this.ids.splice(index, 1);
    return true;
  }
}

describe('BoundedIdSet against a model', () => {
  it('adds, finds, forgets the oldest and deletes like the model, under heavy collisions of small ids', () => {
    const op = fc.tuple(fc.constantFrom('add', 'add', 'add', 'has', 'delete'), fc.string({ maxLength: 3, unit: fc.constantFrom('a', 'b', 'c', 'é', '\u{1F600}') }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(op, { maxLength: 400 }), (capacity, ops) => {
        const set = new BoundedIdSet(capacity);
        const model = new ModelIdSet(capacity);
        // The real set evicts by ring slot: a deleted id leaves its slot empty until the ring comes
        // round, so it may remember fewer than `capacity` for a while, never an id the model
        // has dropped. The model mirrors that by evicting slot by slot as well.
        const slots: (string | undefined)[] = new Array(capacity).fill(undefined);
        let next = 0;
        for (const [kind, id] of ops) {
          if (kind === 'add') {
            const evicted = slots[next];
            const expected = !model.has(id);
            if (expected) {
              if (evicted !== undefined) model.delete(evicted);
              model.add(id);
              slots[next] = id;
              next = (next + 1) % capacity;
            }
            expect(set.add(id)).toBe(expected);
          } else if (kind === 'has') {
            expect(set.has(id)).toBe(model.has(id));
          } else {
            const index = slots.indexOf(id);
            if (index >= 0) slots[index] = undefined;
            expect(set.delete(id)).toBe(model.delete(id));
          }
          expect(set.size).toBe(model.ids.length);
          expect(set.size).toBeLessThanOrEqual(capacity);
        }
        for (const id of model.ids) expect(set.has(id)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('remembers exactly the last `capacity` ids of a long stream', () => {
    const set = new BoundedIdSet(1000);
    for (let i = 0; i < 50_000; i++) expect(set.add(`id-${i}`)).toBe(true);
    expect(set.size).toBe(1000);
    for (let i = 49_000; i < 50_000; i++) expect(set.add(`id-${i}`)).toBe(false);
    expect(set.has('id-48999')).toBe(false);
    expect(set.add('id-48999')).toBe(true);
  });

  it('a delete does not forget the id when it was re-added after', () => {
    const set = new BoundedIdSet(3);
    set.add('a');
    set.delete('a');
    set.add('b');
    set.add('a');
    set.add('c'); // takes the first slot, emptied by the delete: nothing is forgotten
    expect([set.has('a'), set.has('b'), set.has('c'), set.size]).toEqual([true, true, true, 3]);
    expect(set.add('d')).toBe(true); // forgets the oldest, 'b', and keeps 'a'
    expect([set.has('a'), set.has('b'), set.has('c'), set.has('d')]).toEqual([true, false, true, true]);
  });

  it('refuses a capacity past 2^28', () => {
    expect(() => new BoundedIdSet(2 ** 29)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
