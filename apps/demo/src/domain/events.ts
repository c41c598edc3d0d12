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

/** The projection worker's answer: the orders list as of `position` projected events. */
export const OrdersProjected = defineEvent(
  'OrdersProjected',
  z.object({
    position: z.number().int().nonnegative(),
    orders: z.array(
      z.object({
        orderId: z.string(),
        customerName: z.string(),
        totalAmount: z.number(),
        status: z.enum(['new', 'placed', 'shipped', 'cancelled']),
        placedAt: z.string(),
        trackingNumber: z.string().optional(),
        reason: z.string().optional(),
      }),
    ),
  }),
  { aggregateType: 'ReadModel' },
);

export const orderEvents = [OrderPlaced, OrderShipped, OrderCancelled, CustomerNotified] as const;
export const workerEvents = [...orderEvents, OrdersProjected] as const;

/** What the bridge redacts before anything leaves the page. */
export const sensitiveFields = ['cardNumber', 'OrderPlaced:data.customerEmail'] as const;
