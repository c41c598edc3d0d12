// Run by the runtime matrix with `deno test` (see runtimes/examples.mjs); Deno's own runner,
// so this is what a Deno user would write.
import assert from 'node:assert/strict';
import { startServer } from './server.js';
import type { OrdersSummary } from './orders.js';

declare const Deno: { test(name: string, fn: () => Promise<void>): void };

async function summaryOf(url: string, isolate: string): Promise<OrdersSummary> {
  const response = await fetch(`${url}/summary?isolate=${isolate}`);
  assert.equal(response.status, 200);
  return (await response.json()) as OrdersSummary;
}

async function place(url: string, isolate: string, order: unknown): Promise<Response> {
  return fetch(`${url}/orders?isolate=${isolate}`, { method: 'POST', body: JSON.stringify(order), headers: { 'content-type': 'application/json' } });
}

/** Waits (never a timed assertion) until the isolate has seen `orders` orders. */
async function waitForOrders(url: string, isolate: string, orders: number): Promise<OrdersSummary> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const summary = await summaryOf(url, isolate);
    if (summary.orders >= orders || Date.now() > deadline) return summary;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

Deno.test('an order placed on one isolate reaches the other over BroadcastChannel', async () => {
  const server = await startServer({ app: `deno-test-${crypto.randomUUID()}` });
  try {
    const response = await place(server.url, 'a', { customerName: 'Ada', totalAmount: 30 });
    assert.equal(response.status, 201);
    assert.equal(((await response.json()) as { isolate: string }).isolate, 'a');
    assert.deepEqual(await waitForOrders(server.url, 'b', 1), { isolate: 'b', orders: 1, revenue: 30, placedHere: 0, receivedFromPeers: 1 });
    assert.deepEqual(await summaryOf(server.url, 'a'), { isolate: 'a', orders: 1, revenue: 30, placedHere: 1, receivedFromPeers: 0 });
  } finally {
    await server.close();
  }
});

Deno.test('orders from both isolates reach both, each exactly once', async () => {
  const server = await startServer({ app: `deno-test-${crypto.randomUUID()}` });
  try {
    for (let i = 0; i < 5; i += 1) {
      assert.equal((await place(server.url, i % 2 === 0 ? 'a' : 'b', { customerName: `c${i}`, totalAmount: 10 })).status, 201);
    }
    const a = await waitForOrders(server.url, 'a', 5);
    const b = await waitForOrders(server.url, 'b', 5);
    assert.deepEqual(a, { isolate: 'a', orders: 5, revenue: 50, placedHere: 3, receivedFromPeers: 2 });
    assert.deepEqual(b, { isolate: 'b', orders: 5, revenue: 50, placedHere: 2, receivedFromPeers: 3 });
  } finally {
    await server.close();
  }
});

Deno.test('an order that fails the schema is a 400 and nothing is published', async () => {
  const server = await startServer({ app: `deno-test-${crypto.randomUUID()}` });
  try {
    const response = await place(server.url, 'a', { customerName: 'Ada', totalAmount: 'lots' });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { error: string }).error, /totalAmount/);
    assert.equal((await place(server.url, 'b', { customerName: 'Bo', totalAmount: 5 })).status, 201);
    assert.deepEqual(await waitForOrders(server.url, 'a', 1), { isolate: 'a', orders: 1, revenue: 5, placedHere: 0, receivedFromPeers: 1 });
  } finally {
    await server.close();
  }
});
