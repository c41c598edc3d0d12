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

/** What {@link subscribeHandlers} needs besides the bus. */
export interface HandlerOptions {
  /** Takes each line of the wildcard audit log. */
  readonly audit: (line: AuditLine) => void;
  /** Whether an event was published in this tab (the audit log says `here` or `elsewhere`). */
  readonly isLocal: (event: AnyEvent) => boolean;
  /** Whether this tab sends the confirmation email of an order. @default isLocal */
  readonly sendsEmails?: (event: AnyEvent) => boolean;
  /**
   * How the confirmation handler publishes its follow-up event: through what the tab publishes
   * its own events with, so that the follow-up counts as published here too.
   * @default bus.publish
   */
  readonly publish?: (event: AnyEvent) => Promise<unknown>;
}

/**
 * The demo's handlers, as in the tutorial: a confirmation email that publishes a follow-up
 * event (one tab sends it: the leader), an inventory check that fails on big orders, a carrier
 * notification, a refund, a pattern subscriber for metrics and a wildcard audit log.
 *
 * @example
 * ```ts
 * const audit: AuditLine[] = [];
 * const unsubscribe = subscribeHandlers(bus, { audit: (line) => audit.push(line), isLocal: () => true });
 * ```
 */
export function subscribeHandlers(bus: EventBus, options: HandlerOptions): () => void {
  const { audit, isLocal, sendsEmails = isLocal, publish = (event: AnyEvent) => bus.publish(event) } = options;
  const offs = [
    bus.subscribe(OrderPlaced, async function sendConfirmationEmail(event) {
      if (!sendsEmails(event)) return; // one tab sends the email: the leader, or the tab that placed the order
      await sleep(15 + Math.random() * 40);
      await publish(
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
