import { describe, expect, it } from 'vitest';
import type { AnyEvent } from '@eventwire/core';
import { SendQueue } from '../sendQueue.js';

const event = (n: number): AnyEvent => ({ id: `e${n}`, type: 'T', data: n, occurredAt: '2026-01-01T00:00:00.000Z' });

describe('SendQueue', () => {
  it('sends in the order pushed, in batches of at most maxBatchSize, including events pushed while a batch is in flight, and counts what is unsent', async () => {
    const batches: number[][] = [];
    const sizes: number[] = [];
    let queue!: SendQueue;
    let pushed = 100;
    const order: number[] = [];
    const push = (n: number): void => {
      order.push(n);
      queue.push(event(n));
    };
    queue = new SendQueue({
      maxBatchSize: 4,
      delayMs: undefined,
      async send(batch) {
        sizes.push(queue.size);
        batches.push(batch.map((e) => e.data as number));
        // A slow transport: more events arrive while a batch is in flight.
        if (pushed < 103) push(pushed++);
        await Promise.resolve();
      },
    });
    for (let n = 0; n < 10; n++) push(n);
    await queue.flush();
    // The first batch leaves as soon as it is full, inside the burst; the rest in the order pushed.
    expect(batches.flat()).toEqual(order);
    expect(order).toHaveLength(13);
    expect(batches.every((batch) => batch.length <= 4)).toBe(true);
    expect(sizes[0]).toBe(0); // the first batch left as the 4th event came
    expect(sizes[1]).toBe(3); // 100 and 4-6 being sent, 7-9 left
    expect(queue.size).toBe(0);
  });
});
