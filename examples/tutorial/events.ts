import { defineEvent, registerEvent } from '@eventwire/core';
import { z } from 'zod';

export const OrderPlaced = registerEvent(
  defineEvent('OrderPlaced', z.object({ customerName: z.string(), totalAmount: z.number() }), { aggregateType: 'Order' }),
);

export const OrderShipped = registerEvent(
  defineEvent('OrderShipped', z.object({ trackingNumber: z.string() }), { aggregateType: 'Order' }),
);

export const OrderCancelled = registerEvent(
  defineEvent('OrderCancelled', z.object({ reason: z.string() }), { aggregateType: 'Order' }),
);
