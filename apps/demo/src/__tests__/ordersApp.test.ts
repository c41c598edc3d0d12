import { describe, expect, it } from 'vitest';
import { OrderPlaced } from '../domain/events.js';
import { OrdersApp, randomOrder } from '../ordersApp.js';

describe('OrdersApp', () => {
  it('tells the orders placed in this tab from the events of other tabs, and keeps only the others in its store again', async () => {
    const app = new OrdersApp({ label: 'test', devtools: false });
    const placedHere = await app.placeOrder({ ...randomOrder(), totalAmount: 120 });
    // What a transport hands the bus when another tab places an order.
    const placedElsewhere = OrderPlaced.create({ ...randomOrder(), totalAmount: 80 }, { aggregateId: 'ord_other' });
    await app.bus.publish(placedElsewhere);

    const originOf = (aggregateId: string, type: string) => app.audit.find((line) => line.aggregateId === aggregateId && line.type === type)?.origin;
    expect(originOf(placedHere, 'OrderPlaced')).toBe('here');
    expect(originOf('ord_other', 'OrderPlaced')).toBe('elsewhere');
    expect((await app.store.readStream(`Order-${placedHere}`)).map((stored) => stored.event.type)).toEqual(['OrderPlaced']);
    expect((await app.store.readStream('Order-ord_other')).map((stored) => stored.event.id)).toEqual([placedElsewhere.id]);
    app.close();
  });
});
