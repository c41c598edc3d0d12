import { defineEvent } from '@eventwire/core';
import { z } from 'zod';

/** An order placed through the Worker. */
export const OrderPlaced = defineEvent('OrderPlaced', z.object({ customerName: z.string().min(1), totalAmount: z.number().positive() }), {
  aggregateType: 'Order',
});

/** A receipt, written by a handler on the bus after the order was stored. */
export const ReceiptIssued = defineEvent('ReceiptIssued', z.object({ orderId: z.string(), text: z.string() }), {
  aggregateType: 'Order',
});
