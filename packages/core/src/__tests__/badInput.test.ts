import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, EventRegistry, InMemoryEventBus, isEventwireError, toFrozenPlainData } from '@eventwire/core';

const Note = defineEvent('Note', z.object({ text: z.string(), extra: z.unknown().optional() }).loose());
const registry = new EventRegistry([Note]);
const valid = () => JSON.parse(JSON.stringify(Note.create({ text: 'hi' }))) as Record<string, unknown>;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return isEventwireError(error) ? error.code : 'not an EventwireError';
  }
}

describe('bad input', () => {
  it('non-events get INVALID_EVENT with the issues', () => {
    for (const value of [null, undefined, 1, 'Note', [], [1], { type: 'Note' }, { ...valid(), id: '' }, { ...valid(), occurredAt: 'yesterday' }, { ...valid(), aggregateVersion: -1 }]) {
      expect(codeOf(() => registry.decode(value))).toBe('INVALID_EVENT');
    }
  });

  it('unknown types get UNKNOWN_EVENT_TYPE', () => {
    expect(codeOf(() => registry.decode({ ...valid(), type: 'Nope' }))).toBe('UNKNOWN_EVENT_TYPE');
  });

  it('data failing its schema gets SCHEMA_VALIDATION_FAILED', () => {
    expect(codeOf(() => registry.decode({ ...valid(), data: { text: 42 } }))).toBe('SCHEMA_VALIDATION_FAILED');
  });

  it('__proto__, constructor and prototype keys get FORBIDDEN_KEY and never pollute a prototype', () => {
    const payloads = [
      '{"__proto__": {"polluted": true}, "text": "x"}',
      '{"text": "x", "extra": {"__proto__": {"polluted": true}}}',
      '{"text": "x", "constructor": {"prototype": {"polluted": true}}}',
    ];
    for (const data of payloads) {
      const raw = { ...valid(), data: JSON.parse(data) as unknown };
      expect(codeOf(() => registry.decode(raw))).toBe('FORBIDDEN_KEY');
    }
    const envelope = JSON.parse(`{"__proto__": {"polluted": true}, "id": "1", "type": "Note", "occurredAt": "2026-01-01T00:00:00Z", "data": {"text": "x"}}`) as unknown;
    expect(codeOf(() => registry.decode(envelope))).toBe('FORBIDDEN_KEY');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('data that is not structured-clone and JSON safe gets NOT_SERIALIZABLE', () => {
    const cyclic: Record<string, unknown> = { text: 'x' };
    cyclic.extra = cyclic;
    const bad = [{ text: 'x', extra: () => 1 }, { text: 'x', extra: new Date() }, { text: 'x', extra: new Map() }, { text: 'x', extra: 10n }, { text: 'x', extra: NaN }, { text: 'x', extra: Symbol('s') }, { text: 'x', extra: [undefined] }, cyclic];
    for (const data of bad) expect(codeOf(() => Note.create(data as never))).toBe('NOT_SERIALIZABLE');
  });

  it('drops unknown envelope fields instead of passing them on', () => {
    const event = registry.decode({ ...valid(), isAdmin: true });
    expect(event).not.toHaveProperty('isAdmin');
  });

  it('toFrozenPlainData copies plain data and freezes it deeply', () => {
    const copy = toFrozenPlainData({ a: [{ b: 1 }] }) as { a: { b: number }[] };
    expect(copy).toEqual({ a: [{ b: 1 }] });
    expect(Object.isFrozen(copy.a[0])).toBe(true);
  });

  it('none of it stops the bus', async () => {
    const bus = new InMemoryEventBus();
    let delivered = 0;
    bus.subscribe(Note, () => void delivered++);
    for (const bad of [null, { type: 'Note' }, 'x']) {
      await expect(bus.publish(bad as never)).rejects.toMatchObject({ code: 'INVALID_EVENT' });
      expect(() => bus.publishSync(bad as never)).toThrow(expect.objectContaining({ code: 'INVALID_EVENT' }));
    }
    await bus.publish(Note.create({ text: 'still here' }));
    expect(delivered).toBe(1);
  });
});
