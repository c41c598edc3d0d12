import type { AnyEvent, EventBus } from '@eventwire/core';
import { CustomerNotified, OrderCancelled, OrderPlaced, OrderShipped } from './events.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long big orders wait for a restock. */
export const RESTOCK_MS = 5000;

/**
 * Fails on orders over $500 until the warehouse restocks, a few seconds after the order: the
 * failure is dead-lettered, and replaying it from the devtools later succeeds.
 */
export function reserveInventory(event: ReturnType<typeof OrderPlaced.create>): void {
  const waited = Date.now() - Date.parse(event.occurredAt);
  if (event.data.totalAmount > 500 && waited < RESTOCK_MS) {
    throw new Error(`Not enough stock to reserve ${event.data.items.length} item(s) worth $${event.data.totalAmount} (restock in ${Math.ceil((RESTOCK_MS - waited) / 1000)} s)`);
  }
}

/** One line of the audit log (the wildcard handler). */
export interface AuditLine {
  readonly id: string;
  readonly type: string;
  readonly aggregateId: string | undefined;
  readonly at: string;
  readonly origin: 'here' | 'elsewhere';
}

/**
 * The demo's handlers, as in the tutorial: a confirmation email that publishes a follow-up
 * event (one tab sends it: the leader), an inventory check that fails on big orders, a carrier
 * notification, a refund, a pattern subscriber for metrics and a wildcard audit log.
 */
export function subscribeHandlers(
  bus: EventBus,
  audit: (line: AuditLine) => void,
  isLocal: (event: AnyEvent) => boolean,
  sendsEmails: (event: AnyEvent) => boolean = isLocal,
): () => void {
  const offs = [
    bus.subscribe(OrderPlaced, async function sendConfirmationEmail(event) {
      if (!sendsEmails(event)) return; // one tab sends the email: the leader, or the tab that placed the order
      await sleep(15 + Math.random() * 40);
      await bus.publish(
        CustomerNotified.create(
          { orderId: event.aggregateId ?? '', channel: 'email', template: 'order-confirmation' },
          { aggregateId: event.aggregateId, causationId: event.id, correlationId: event.correlationId ?? event.id },
        ),
      );
    }),
    bus.subscribe(OrderPlaced, reserveInventory),
    bus.subscribe(OrderShipped, async function notifyCarrier(event) {
      await sleep(5 + Math.random() * 20);
      return event.data.trackingNumber;
    }),
    bus.subscribe(OrderCancelled, async function refundPayment() {
      await sleep(10 + Math.random() * 30);
    }),
    bus.subscribe('Order.*', function orderMetrics() {}),
    bus.subscribeToAllEvents(function auditLog(event) {
      audit({ id: event.id, type: event.type, aggregateId: event.aggregateId, at: event.occurredAt, origin: isLocal(event) ? 'here' : 'elsewhere' });
    }),
  ];
  return () => offs.forEach((off) => off());
}
