import type { AnyEvent, Projection } from '@eventwire/core';
import { OrderCancelled, OrderPlaced, OrderShipped } from './events.js';
import type { OrderStatus } from './orderAggregate.js';

/** One row of the orders list. */
export interface OrderSummary {
  readonly orderId: string;
  readonly customerName: string;
  readonly totalAmount: number;
  readonly status: OrderStatus;
  readonly placedAt: string;
  readonly trackingNumber?: string;
  readonly reason?: string;
}

/** The tutorial's OrderSummaryProjection: the read model behind the orders list. */
export class OrderSummaryProjection implements Projection {
  readonly subscribedTo = [OrderPlaced, OrderShipped, OrderCancelled];
  readonly orders = new Map<string, OrderSummary>();
  #onChange: (() => void) | undefined;

  onChange(listener: () => void): void {
    this.#onChange = listener;
  }

  /** Replaces the rows with what a projection elsewhere (the worker) computed. */
  load(rows: readonly OrderSummary[]): void {
    this.orders.clear();
    for (const row of rows) this.orders.set(row.orderId, row);
    this.#onChange?.();
  }

  handle(event: AnyEvent): void {
    const id = event.aggregateId;
    if (id === undefined || event.metadata?.synthetic === true) return;
    if (OrderPlaced.is(event)) {
      this.orders.set(id, { orderId: id, customerName: event.data.customerName, totalAmount: event.data.totalAmount, status: 'placed', placedAt: event.occurredAt });
    } else if (OrderShipped.is(event)) {
      this.#update(id, { status: 'shipped', trackingNumber: event.data.trackingNumber });
    } else if (OrderCancelled.is(event)) {
      this.#update(id, { status: 'cancelled', reason: event.data.reason });
    }
    this.#onChange?.();
  }

  #update(id: string, change: Partial<OrderSummary>): void {
    const current = this.orders.get(id);
    if (current !== undefined) this.orders.set(id, { ...current, ...change });
  }
}
