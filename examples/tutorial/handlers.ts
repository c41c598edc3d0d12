import type { AnyEvent } from '@eventwire/core';
import { OrderCancelled, OrderPlaced, OrderShipped } from './events.js';

/** Maintains order counts and revenue. */
export class OrderSummaryProjection {
  readonly orderCounts = new Map<string, number>();
  totalRevenue = 0;

  subscribedTo() {
    return [OrderPlaced, OrderShipped, OrderCancelled];
  }

  async handle(event: AnyEvent): Promise<void> {
    if (OrderPlaced.is(event)) {
      this.#add('placed', 1);
      this.totalRevenue += event.data.totalAmount;
    } else if (OrderShipped.is(event)) {
      if (this.#count('placed') > 0) this.#add('placed', -1);
      this.#add('shipped', 1);
    } else if (OrderCancelled.is(event)) {
      const from = ['placed', 'shipped'].find((status) => this.#count(status) > 0);
      if (from !== undefined) this.#add(from, -1);
      this.#add('cancelled', 1);
    }
  }

  #count(status: string): number {
    return this.orderCounts.get(status) ?? 0;
  }

  #add(status: string, delta: number): void {
    this.orderCounts.set(status, this.#count(status) + delta);
  }
}

/** Sends notifications when orders are placed. */
export class NotificationHandler {
  notificationsSent = 0;

  constructor(private readonly print: (line: string) => void) {}

  async handle(event: AnyEvent): Promise<void> {
    if (OrderPlaced.is(event)) {
      this.print(`  [Notification] Order placed by ${event.data.customerName}`);
      this.notificationsSent += 1;
    }
  }
}

export interface AuditEntry {
  readonly eventType: string;
  readonly aggregateId: string | undefined;
  readonly aggregateType: string | undefined;
  readonly timestamp: string;
}

/** Logs all events for an audit trail. */
export class AuditLogger {
  readonly auditLog: AuditEntry[] = [];

  async handle(event: AnyEvent): Promise<void> {
    this.auditLog.push({ eventType: event.type, aggregateId: event.aggregateId, aggregateType: event.aggregateType, timestamp: event.occurredAt });
  }
}
