// The OrderSummaryProjection in its own worker: the page forwards order events, the worker projects
// them and answers with the list (OrdersProjected), coalesced. Its bus has a devtools bridge too,
// so the standalone devtools list the worker next to the tabs.
import { EventRegistry, InMemoryEventBus } from '@eventwire/core';
import { connectDevtools } from '@eventwire/devtools-bridge';
import { exposeBus } from '@eventwire/transport-worker';
import { OrdersProjected, sensitiveFields, workerEvents } from './domain/events.js';
import { OrderSummaryProjection } from './domain/orderSummaryProjection.js';

const bus = new InMemoryEventBus({ name: 'projection-worker' });
const projection = new OrderSummaryProjection();
let position = 0;
let scheduled = false;

bus.subscribeAll(projection, { name: 'OrderSummaryProjection' });
bus.subscribe('Order.*', function countPosition() {
  position++;
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    const orders = [...projection.orders.values()].slice(-200);
    void bus.publish(OrdersProjected.create({ position, orders }, { metadata: { busId: bus.id } }));
    bus.report({ type: 'checkpoint', projection: 'OrderSummaryProjection', position, lag: 0 });
  }, 30);
});

const label = (globalThis as { name?: string }).name || 'Projection worker';
connectDevtools(bus, { label, kind: 'worker', redact: sensitiveFields });
exposeBus(bus, { registry: new EventRegistry(workerEvents) });
