import { defineEvent } from '@eventwire/core';
import { z } from 'zod';

/** The tutorial's Order domain. `cardNumber` and `customerEmail` are sensitive: the devtools never see them. */
export const OrderPlaced = defineEvent(
  'OrderPlaced',
  z.object({
    customerName: z.string().min(1),
    customerEmail: z.string(),
    totalAmount: z.number().positive(),
    items: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() })),
    cardNumber: z.string(),
  }),
  { aggregateType: 'Order' },
);
export const OrderShipped = defineEvent('OrderShipped', z.object({ carrier: z.string(), trackingNumber: z.string() }), { aggregateType: 'Order' });
export const OrderCancelled = defineEvent('OrderCancelled', z.object({ reason: z.string() }), { aggregateType: 'Order' });
/** Published by the confirmation handler, caused by an OrderPlaced: the devtools show the chain. */
export const CustomerNotified = defineEvent('CustomerNotified', z.object({ orderId: z.string(), channel: z.enum(['email', 'sms']), template: z.string() }), {
  aggregateType: 'Notification',
});

export const orderEvents = [OrderPlaced, OrderShipped, OrderCancelled, CustomerNotified] as const;

/** What the bridge redacts before anything leaves the page. */
export const sensitiveFields = ['cardNumber', 'OrderPlaced:data.customerEmail'] as const;
