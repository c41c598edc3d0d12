import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, EventRegistry, getEventRegistry, registerEvent } from '@eventwire/core';

const A = defineEvent('RegistryA', z.object({ n: z.number() }));

describe('EventRegistry', () => {
  it('decodes registered types into typed, frozen events', () => {
    const registry = new EventRegistry([A]);
    const event = registry.decode(JSON.parse(JSON.stringify(A.create({ n: 1 }))));
    expect(A.is(event) && event.data.n).toBe(1);
    expect(Object.isFrozen(event)).toBe(true);
    expect(registry.types()).toEqual(['RegistryA']);
  });

  it('refuses a different definition under a taken name, accepts the same one twice', () => {
    const registry = new EventRegistry([A]);
    expect(() => registry.register(A)).not.toThrow();
    expect(() => registry.register(defineEvent('RegistryA', z.object({})))).toThrow(expect.objectContaining({ code: 'DUPLICATE_EVENT_TYPE' }));
  });

  it('safeDecode returns the error instead of throwing', () => {
    const result = new EventRegistry([A]).safeDecode({ nope: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INVALID_EVENT');
  });

  it('registerEvent fills the default registry', () => {
    const B = registerEvent(defineEvent('RegistryB', z.object({})));
    expect(getEventRegistry().get('RegistryB')).toBe(B);
  });
});
