// Runs in workerd (runtimes/examples.mjs): the Worker is its own service, reached through a
// service binding, so each request goes through workerd's HTTP path into the fetch handler.
import { describe, expect, it } from 'vitest';
import { workerdEnv } from '../../../runtimes/harness/workerdEnv.js';
import type { PlacedOrder } from '../src/worker.js';

interface Env {
  readonly ORDERS: { fetch(input: string, init?: RequestInit): Promise<Response> };
}

function post(body: string): Promise<Response> {
  return workerdEnv<Env>().ORDERS.fetch('http://orders/orders', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
}

describe('the Cloudflare Worker example, in workerd', () => {
  it('stores the order, publishes it, and the handler issues the receipt', async () => {
    const response = await post(JSON.stringify({ customerName: 'Ada', totalAmount: 42.5 }));
    expect(response.status).toBe(201);
    const placed = (await response.json()) as PlacedOrder;
    expect(placed.order).toMatchObject({ type: 'OrderPlaced', aggregateType: 'Order', data: { customerName: 'Ada', totalAmount: 42.5 } });
    expect(placed.position).toBe(1);
    expect(placed.receipts).toEqual(['Ada: $42.50']);
    expect(placed.published).toBe(1);
  });

  it('gives every request its own bus and store: positions start again at 1', async () => {
    const first = (await (await post(JSON.stringify({ customerName: 'A', totalAmount: 1 }))).json()) as PlacedOrder;
    const second = (await (await post(JSON.stringify({ customerName: 'B', totalAmount: 2 }))).json()) as PlacedOrder;
    expect([first.position, second.position]).toEqual([1, 1]);
    expect(first.order.aggregateId).not.toBe(second.order.aggregateId);
  });

  it('answers bad input with 400 and the error code, and keeps serving', async () => {
    const invalid = await post(JSON.stringify({ customerName: '', totalAmount: -1 }));
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { code: string }).code).toBe('SCHEMA_VALIDATION_FAILED');
    const notJson = await post('{ not json');
    expect(notJson.status).toBe(400);
    expect((await post(JSON.stringify({ customerName: 'C', totalAmount: 3 }))).status).toBe(201);
  });

  it('says clearly that workerd has no BroadcastChannel, and what to use instead', async () => {
    const response = await workerdEnv<Env>().ORDERS.fetch('http://orders/cross-isolate');
    expect(response.status).toBe(501);
    const body = (await response.json()) as { code: string; error: string };
    expect(body.code).toBe('UNSUPPORTED_RUNTIME');
    expect(body.error).toMatch(/^BroadcastChannel is not available in this runtime/);
    expect(body.error).toContain('@eventwire/transport-nats');
  });
});
