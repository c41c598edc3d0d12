import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, InMemoryEventBus } from '@eventwire/core';

describe('smoke', () => {
  it('delivers', async () => {
    const Ping = defineEvent('Ping', z.object({ n: z.number() }));
    const bus = new InMemoryEventBus();
    const seen: number[] = [];
    bus.subscribe(Ping, (e) => void seen.push(e.data.n));
    await bus.publish(Ping.create({ n: 1 }));
    expect(seen).toEqual([1]);
  });
});
