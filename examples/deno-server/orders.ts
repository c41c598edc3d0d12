import { defineEvent, EventRegistry } from '@eventwire/core';
import { z } from 'zod';

/** The one event of the example: an order placed on whichever isolate took the request. */
export const OrderPlaced = defineEvent('OrderPlaced', z.object({ customerName: z.string(), totalAmount: z.number() }), {
  aggregateType: 'Order',
});

/** Everything that arrives from another isolate is decoded against this registry. */
export const registry = new EventRegistry([OrderPlaced]);

/** What the main thread asks an isolate, and what the isolate answers. */
export type IsolateRequest =
  | { readonly id: number; readonly kind: 'place'; readonly customerName: string; readonly totalAmount: number }
  | { readonly id: number; readonly kind: 'summary' };

export interface OrdersSummary {
  readonly isolate: string;
  readonly orders: number;
  readonly revenue: number;
  /** Orders this isolate placed itself, and orders that reached it over the BroadcastChannel. */
  readonly placedHere: number;
  readonly receivedFromPeers: number;
}

export type IsolateResponse = { readonly id: number; readonly result?: unknown; readonly error?: string };
