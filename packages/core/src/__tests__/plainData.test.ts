import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, EventRegistry, isEventwireError, toFrozenPlainData } from '@eventwire/core';

function errorOf(fn: () => unknown): { code: string; path?: string } | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (!isEventwireError(error)) throw error;
    const details = error.details as { path?: string; issues?: { path: string }[] } | undefined;
    return { code: error.code, path: details?.path ?? details?.issues?.[0]?.path };
  }
}

function isDeeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeeplyFrozen);
}

function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { next: value } : [value];
  return value;
}

/** JSON values without the keys that are refused on purpose (fast-check generates `__proto__`). */
const jsonValue = fc.jsonValue().filter((value) => !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(value)));

const Note = defineEvent('Note', z.object({ text: z.string(), extra: z.unknown().optional() }));
const registry = new EventRegistry([Note]);

describe('plain data checks and copies', () => {
  it('copies any JSON value to an equal, deeply frozen copy', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const copy = toFrozenPlainData(value);
        // -0 survives the copy; JSON would turn it into 0, which toEqual tells apart.
        expect(copy).toEqual(value);
        expect(isDeeplyFrozen(copy)).toBe(true);
        if (typeof value === 'object' && value !== null) expect(copy).not.toBe(value);
      }),
    );
  });

  it('decodes any JSON-round-tripped event with JSON data whatever its nesting', () => {
    fc.assert(
      fc.property(jsonValue, (extra) => {
        const raw = JSON.parse(JSON.stringify(Note.create({ text: 'x', extra }))) as unknown;
        expect(registry.decode(raw)).toEqual(raw);
      }),
    );
  });

  it('copies data nested deeper than its fast path goes, and still finds a cycle down there', () => {
    const deep = nested(200, 'leaf');
    expect(toFrozenPlainData(deep)).toEqual(deep);
    expect(isDeeplyFrozen(toFrozenPlainData(deep))).toBe(true);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = nested(100, cyclic);
    expect(errorOf(() => toFrozenPlainData(cyclic, 'data'))).toMatchObject({ code: 'NOT_SERIALIZABLE' });
    expect(errorOf(() => registry.decode({ ...JSON.parse(JSON.stringify(Note.create({ text: 'x' }))), metadata: cyclic }))).toMatchObject({ code: 'NOT_SERIALIZABLE' });
  });

  it('names the path of what it refuses, at any depth', () => {
    const bad = { items: [{ sku: 'a' }, { sku: 'b' }, { sku: Number.NaN }] };
    expect(errorOf(() => toFrozenPlainData(bad, 'data'))).toEqual({ code: 'NOT_SERIALIZABLE', path: 'data.items[2].sku' });
    expect(errorOf(() => toFrozenPlainData(nested(40, Symbol('s')), 'data'))).toMatchObject({ code: 'NOT_SERIALIZABLE' });
    expect(errorOf(() => toFrozenPlainData({ a: [{ b: new Date() }] }, 'data'))).toEqual({ code: 'NOT_SERIALIZABLE', path: 'data.a[0].b' });
    expect(errorOf(() => toFrozenPlainData({ a: [1, undefined] }, 'data'))).toEqual({ code: 'NOT_SERIALIZABLE', path: 'data.a[1]' });
    expect(errorOf(() => toFrozenPlainData({ a: { [Symbol('s')]: 1 } }, 'data'))).toEqual({ code: 'NOT_SERIALIZABLE', path: 'data.a' });
    expect(errorOf(() => toFrozenPlainData(JSON.parse('{"a":[{"__proto__":{"x":1}}]}'), 'data'))).toEqual({ code: 'FORBIDDEN_KEY', path: 'data.a[0].__proto__' });
    const raw = JSON.parse(JSON.stringify(Note.create({ text: 'x' }))) as Record<string, unknown>;
    expect(errorOf(() => registry.decode({ ...raw, sneaky: { deep: [{ constructor: 1 }] } }))).toEqual({ code: 'FORBIDDEN_KEY', path: 'event.sneaky.deep[0].constructor' });
    expect(errorOf(() => registry.decode({ ...raw, sneaky: nested(50, { prototype: 1 }) }))).toMatchObject({ code: 'FORBIDDEN_KEY' });
    expect(errorOf(() => registry.decode({ ...raw, sneaky: [1, () => 1] }))).toEqual({ code: 'NOT_SERIALIZABLE', path: 'event.sneaky[1]' });
  });

  it('keeps envelope issues as they were, all of them at once', () => {
    const raw = JSON.parse(JSON.stringify(Note.create({ text: 'x' }))) as Record<string, unknown>;
    const error = (() => {
      try {
        registry.decode({ ...raw, id: 7, occurredAt: 'later', aggregateId: 1, aggregateVersion: 1.5, schemaVersion: 0, metadata: [] });
      } catch (thrown) {
        return thrown as { code: string; issues: { path: string }[] };
      }
      return undefined;
    })();
    expect(error?.code).toBe('INVALID_EVENT');
    expect(error?.issues.map((issue) => issue.path)).toEqual(['id', 'occurredAt', 'aggregateId', 'aggregateVersion', 'schemaVersion', 'metadata']);
    // A date that passed once does not let an invalid one through afterwards.
    expect(registry.decode(raw).occurredAt).toBe(raw.occurredAt);
    expect(errorOf(() => registry.decode({ ...raw, occurredAt: `${String(raw.occurredAt)}x` }))).toMatchObject({ code: 'INVALID_EVENT', path: 'occurredAt' });
  });
});
