import { AggregateRoot, type AnyEvent } from '@eventwire/core';
import { OrderCancelled, OrderPlaced, OrderShipped } from './events.js';

export interface OrderState {
  readonly orderId: string;
  readonly customerName: string;
  readonly totalAmount: number;
  readonly status: 'draft' | 'placed' | 'shipped' | 'cancelled';
}

export class OrderAggregate extends AggregateRoot<OrderState> {
  readonly aggregateType = 'Order';

  protected getInitialState(): OrderState {
    return { orderId: this.aggregateId, customerName: '', totalAmount: 0, status: 'draft' };
  }

  protected apply(state: OrderState, event: AnyEvent): OrderState {
    if (OrderPlaced.is(event)) return { ...state, ...event.data, status: 'placed' };
    if (OrderShipped.is(event)) return { ...state, status: 'shipped' };
    if (OrderCancelled.is(event)) return { ...state, status: 'cancelled' };
    return state;
  }

  place(customerName: string, totalAmount: number): void {
    if (this.version > 0) throw new Error('Order already placed');
    this.applyEvent(OrderPlaced.create({ customerName, totalAmount }, this.nextEnvelope()));
  }

  ship(trackingNumber: string): void {
    if (this.state.status !== 'placed') throw new Error('Order must be placed to ship');
    this.applyEvent(OrderShipped.create({ trackingNumber }, this.nextEnvelope()));
  }

  cancel(reason: string): void {
    if (this.state.status === 'shipped' || this.state.status === 'cancelled' || this.state.status === 'draft') {
      throw new Error('Cannot cancel this order');
    }
    this.applyEvent(OrderCancelled.create({ reason }, this.nextEnvelope()));
  }
}
