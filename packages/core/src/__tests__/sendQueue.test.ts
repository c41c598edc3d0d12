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

  it('a failed send rejects flush with its error; what was still queued leaves with the next drain, in order', async () => {
    const sent: number[] = [];
    let failNext = true;
    const queue = new SendQueue({
      maxBatchSize: 2,
      delayMs: undefined,
      send(batch) {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('link down'));
        }
        sent.push(...batch.map((e) => e.data as number));
        return Promise.resolve();
      },
    });
    for (let n = 0; n < 5; n++) queue.push(event(n));
    await expect(queue.flush()).rejects.toThrow('link down');
    // The failed batch (0, 1) is the sender's to report; 2, 3 and 4 were still queued.
    await queue.flush();
    expect(sent).toEqual([2, 3, 4]);
    expect(queue.size).toBe(0);
  });

  it('a lone event is sent once, in a microtask after the push, and flush waits for a send in flight', async () => {
    const sent: number[][] = [];
    let release!: () => void;
    const queue = new SendQueue({
      maxBatchSize: 100,
      delayMs: undefined,
      send(batch) {
        sent.push(batch.map((e) => e.data as number));
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    queue.push(event(1));
    expect(sent).toEqual([]);
    await Promise.resolve();
    expect(sent).toEqual([[1]]);
    let flushed = false;
    const flushing = queue.flush().then(() => (flushed = true));
    queue.push(event(2)); // waits for the send in flight, then leaves in the next batch
    await Promise.resolve();
    expect(flushed).toBe(false);
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    release();
    await flushing;
    expect(sent).toEqual([[1], [2]]);
  });

  it('a burst far larger than one batch leaves in full batches, in order, while the first is in flight', async () => {
    const batches: number[][] = [];
    const queue = new SendQueue({
      maxBatchSize: 10,
      delayMs: undefined,
      send(batch) {
        batches.push(batch.map((e) => e.data as number));
        return new Promise((resolve) => setTimeout(resolve, 0));
      },
    });
    for (let n = 0; n < 103; n++) queue.push(event(n));
    // The first batch left as it filled; the other 93 wait, counted, cut into full batches.
    expect(batches).toHaveLength(1);
    expect(queue.size).toBe(93);
    await queue.flush();
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3]);
    expect(batches.flat()).toEqual(Array.from({ length: 103 }, (_, n) => n));
    expect(queue.size).toBe(0);
  });
});

