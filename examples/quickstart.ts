import { defineEvent, InMemoryEventBus } from '@eventwire/core';
import { z } from 'zod';

const OrderPlaced = defineEvent('OrderPlaced', z.object({ customerName: z.string(), totalAmount: z.number() }), {
  aggregateType: 'Order',
});

const bus = new InMemoryEventBus();
bus.subscribe(OrderPlaced, (event) => console.log(`${event.data.customerName} ordered $${event.data.totalAmount}`));
bus.subscribe('Order.*', (event) => console.log(`[audit] ${event.type} on ${event.aggregateId}`));

await bus.publish(OrderPlaced.create({ customerName: 'Alice', totalAmount: 99.99 }, { aggregateId: 'order-1' }));
console.log(bus.getStats());
