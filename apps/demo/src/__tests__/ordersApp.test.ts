import { describe, expect, it } from 'vitest';
import { CustomerNotified, OrderPlaced } from '../domain/events.js';
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
    // The confirmation email's follow-up event is published here too; only this tab's order gets one.
    expect(originOf(placedHere, 'CustomerNotified')).toBe('here');
    expect(originOf('ord_other', 'CustomerNotified')).toBeUndefined();
    expect((await app.store.readStream(`Order-${placedHere}`)).map((stored) => stored.event.type)).toEqual(['OrderPlaced']);
    expect((await app.store.readStream('Order-ord_other')).map((stored) => stored.event.id)).toEqual([placedElsewhere.id]);
    app.close();
  });

  it('keeps the newest lines of its audit log, between 200 and 400 of them', async () => {
    const app = new OrdersApp({ label: 'test', devtools: false, replicate: false });
    // Notifications: no handler of their own waits, the audit log (a wildcard handler) has each.
    const notified = Array.from({ length: 450 }, (_, i) => CustomerNotified.create({ orderId: `ord_${i}`, channel: 'email', template: 'order-confirmation' }));
    for (const event of notified) await app.bus.publish(event);
    expect(app.audit.length).toBeGreaterThanOrEqual(200);
    expect(app.audit.length).toBeLessThanOrEqual(400);
    expect(app.audit.map((line) => line.id)).toEqual(notified.slice(-app.audit.length).map((event) => event.id));
    app.close();
  });
});
