import { AggregateRoot, EventwireError, type AnyEvent } from '@eventwire/core';
import { OrderCancelled, OrderPlaced, OrderShipped } from './events.js';

export type OrderStatus = 'new' | 'placed' | 'shipped' | 'cancelled';

export interface OrderState {
  readonly status: OrderStatus;
  readonly totalAmount: number;
}

/** The tutorial's OrderAggregate: place, ship, cancel, with its rules. */
export class OrderAggregate extends AggregateRoot<OrderState> {
  readonly aggregateType = 'Order';

  protected getInitialState(): OrderState {
    return { status: 'new', totalAmount: 0 };
  }

  protected apply(state: OrderState, event: AnyEvent): OrderState {
    if (OrderPlaced.is(event)) return { status: 'placed', totalAmount: event.data.totalAmount };
    if (OrderShipped.is(event)) return { ...state, status: 'shipped' };
    if (OrderCancelled.is(event)) return { ...state, status: 'cancelled' };
    return state;
  }

  place(data: OrderPlacedData, correlationId: string): void {
    if (this.state.status !== 'new') throw new EventwireError('INVALID_AGGREGATE_STATE', `Order ${this.aggregateId} was already placed`);
    this.applyEvent(OrderPlaced.create(data, { ...this.nextEnvelope(), correlationId }));
  }

  ship(carrier: string): void {
    if (this.state.status !== 'placed') throw new EventwireError('INVALID_AGGREGATE_STATE', `Only a placed order ships; this one is ${this.state.status}`);
    const trackingNumber = `${carrier.slice(0, 3).toUpperCase()}-${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
    this.applyEvent(OrderShipped.create({ carrier, trackingNumber }, { ...this.nextEnvelope(), correlationId: this.aggregateId }));
  }

  cancel(reason: string): void {
    if (this.state.status !== 'placed') throw new EventwireError('INVALID_AGGREGATE_STATE', `Only a placed order can be cancelled; this one is ${this.state.status}`);
    this.applyEvent(OrderCancelled.create({ reason }, { ...this.nextEnvelope(), correlationId: this.aggregateId }));
  }
}

export type OrderPlacedData = ReturnType<typeof OrderPlaced.create>['data'];
