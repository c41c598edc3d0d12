// One isolate of the Deno server (a Deno worker, as Deno Deploy runs one isolate per instance):
// its own bus, joined to the other isolates over BroadcastChannel.
import { connect, InMemoryEventBus } from '@eventwire/core';
import { createBroadcastTransport } from '@eventwire/transport-broadcast';
import { OrderPlaced, registry, type IsolateRequest, type IsolateResponse, type OrdersSummary } from './orders.js';

interface WorkerScope {
  readonly name: string;
  onmessage: ((message: { data: IsolateRequest }) => void) | null;
  postMessage(response: IsolateResponse): void;
}

const scope = globalThis as unknown as WorkerScope;
// The server names each worker `<app>/<isolate>`: isolates of one app share one channel.
const [app = 'deno-orders', isolate = scope.name] = scope.name.split('/');
const bus = new InMemoryEventBus();
connect(bus, createBroadcastTransport({ app, peer: { id: isolate } }), { registry });

const placedHere = new Set<string>();
const summary = { isolate, orders: 0, revenue: 0, placedHere: 0, receivedFromPeers: 0 };
bus.subscribe(OrderPlaced, (event) => {
  summary.orders += 1;
  summary.revenue += event.data.totalAmount;
  if (placedHere.has(event.id)) summary.placedHere += 1;
  else summary.receivedFromPeers += 1;
});

async function handle(request: IsolateRequest): Promise<unknown> {
  if (request.kind === 'summary') return { ...summary } satisfies OrdersSummary;
  const event = OrderPlaced.create({ customerName: request.customerName, totalAmount: request.totalAmount }, { aggregateId: crypto.randomUUID() });
  placedHere.add(event.id);
  await bus.publish(event);
  return { id: event.id, isolate };
}

// BroadcastChannel keeps no history: the server waits for this before it sends requests here.
scope.postMessage({ id: 0, result: 'ready' });

scope.onmessage = ({ data }) => {
  handle(data).then(
    (result) => scope.postMessage({ id: data.id, result }),
    (error: unknown) => scope.postMessage({ id: data.id, error: String(error) }),
  );
};
