// A Cloudflare Worker (module syntax) on eventwire: each request gets its own bus and in-memory
// store, so nothing leaks between requests that the runtime may run in the same isolate.
import { InMemoryEventBus, InMemoryEventStore, isEventwireError, openBroadcastChannel, type AnyEvent } from '@eventwire/core';
import { OrderPlaced, ReceiptIssued } from './orders.js';

/** What `POST /orders` answers. */
export interface PlacedOrder {
  readonly order: AnyEvent;
  readonly position: number;
  readonly receipts: readonly string[];
  readonly published: number;
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    try {
      if (request.method === 'POST' && url.pathname === '/orders') return Response.json(await placeOrder(await request.json()), { status: 201 });
      if (request.method === 'GET' && url.pathname === '/cross-isolate') return crossIsolate();
      return Response.json({ error: 'not found' }, { status: 404 });
    } catch (error) {
      if (isEventwireError(error)) return Response.json({ code: error.code, error: error.message }, { status: 400 });
      if (error instanceof SyntaxError) return Response.json({ code: 'INVALID_ARGUMENT', error: 'the body must be JSON' }, { status: 400 });
      throw error;
    }
  },
};

/** Validates and stores the order, then publishes it: a handler issues the receipt. */
async function placeOrder(body: unknown): Promise<PlacedOrder> {
  const bus = new InMemoryEventBus();
  const store = new InMemoryEventStore();
  const receipts: string[] = [];
  bus.subscribe(OrderPlaced, async (event) => {
    const receipt = ReceiptIssued.create({ orderId: event.aggregateId ?? event.id, text: `${event.data.customerName}: $${event.data.totalAmount.toFixed(2)}` }, { aggregateId: event.aggregateId, causationId: event.id });
    await store.append(`Order-${event.aggregateId}`, [receipt]);
    receipts.push(receipt.data.text);
  });
  const { customerName, totalAmount } = (body ?? {}) as { customerName?: unknown; totalAmount?: unknown };
  const order = OrderPlaced.create({ customerName, totalAmount } as { customerName: string; totalAmount: number }, { aggregateId: crypto.randomUUID() });
  const { stored } = await store.append(`Order-${order.aggregateId}`, [order], { expectedVersion: 'noStream' });
  await bus.publish(order, { errors: 'throw' });
  await bus.shutdown();
  return { order, position: stored[0]!.position, receipts, published: bus.getStats().eventsPublished };
}

/** workerd has no BroadcastChannel: eventwire says so, and what to use instead. */
function crossIsolate(): Response {
  try {
    openBroadcastChannel('eventwire:orders').close();
    return Response.json({ broadcastChannel: true });
  } catch (error) {
    if (!isEventwireError(error, 'UNSUPPORTED_RUNTIME')) throw error;
    return Response.json({ broadcastChannel: false, code: error.code, error: error.message }, { status: 501 });
  }
}
