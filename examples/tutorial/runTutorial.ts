import { AggregateRepository, InMemoryEventBus, InMemoryEventStore, type EventBusStats } from '@eventwire/core';
import { AuditLogger, NotificationHandler, OrderSummaryProjection } from './handlers.js';
import { OrderPlaced } from './events.js';
import { OrderAggregate } from './orderAggregate.js';

/** The figures the tutorial prints, for tests. */
export interface TutorialFigures {
  readonly totalRevenue: number;
  readonly orderCounts: Record<string, number>;
  readonly notificationsSent: number;
  readonly auditEntries: number;
  readonly stats: EventBusStats;
  readonly orderPlacedSubscribers: number;
  readonly wildcardSubscribers: number;
}

/**
 * The complete example of the bus tutorial ("Tutorial 7: Event Bus"), step by step, printing
 * what the tutorial prints.
 */
export async function runTutorial(print: (line: string) => void = console.log): Promise<TutorialFigures> {
  const rule = '='.repeat(60);
  print(rule);
  print('Tutorial 7: Event Bus');
  print(rule);

  print('\n1. Setting up infrastructure...');
  const eventStore = new InMemoryEventStore();
  const eventBus = new InMemoryEventBus({ name: 'tutorial' });
  const repo = new AggregateRepository({ eventStore, aggregateFactory: OrderAggregate, aggregateType: 'Order', eventPublisher: eventBus });
  print('   - Event store, bus, and repository initialized');

  print('\n2. Creating handlers and projections...');
  const projection = new OrderSummaryProjection();
  const notifications = new NotificationHandler(print);
  const auditLogger = new AuditLogger();

  print('\n3. Subscribing to event bus...');
  eventBus.subscribeAll(projection);
  eventBus.subscribe(OrderPlaced, notifications);
  eventBus.subscribeToAllEvents(auditLogger);
  print(`   - Projection subscribed to ${projection.subscribedTo().length} event types`);
  print('   - Notification handler subscribed to OrderPlaced');
  print('   - Audit logger subscribed to all events');

  print('\n4. Creating orders...');
  const orderIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const orderId = crypto.randomUUID();
    orderIds.push(orderId);
    const order = repo.createNew(orderId);
    order.place(`Customer ${i + 1}`, 100.0 + i * 50);
    await repo.save(order);
  }
  print(`   Created ${orderIds.length} orders`);

  print('\n5. Shipping an order...');
  const toShip = await repo.load(orderIds[0]!);
  toShip.ship('TRACK-123');
  await repo.save(toShip);
  print('   Order shipped');

  print('\n6. Cancelling an order...');
  const toCancel = await repo.load(orderIds[1]!);
  toCancel.cancel('Customer request');
  await repo.save(toCancel);
  print('   Order cancelled');

  print('\n7. Querying projection:');
  print(`   Total revenue: $${projection.totalRevenue.toFixed(2)}`);
  print(`   Order counts: ${pythonDict(projection.orderCounts)}`);

  print('\n8. Notification handler:');
  print(`   Notifications sent: ${notifications.notificationsSent}`);

  print('\n9. Audit log:');
  print(`   Total events logged: ${auditLogger.auditLog.length}`);
  for (const entry of auditLogger.auditLog.slice(0, 3)) print(`   - ${entry.eventType} on ${entry.aggregateType}`);

  print('\n10. Event bus statistics:');
  const stats = eventBus.getStats();
  print(`    Events published: ${stats.eventsPublished}`);
  print(`    Handlers invoked: ${stats.handlersInvoked}`);
  print(`    Handler errors: ${stats.handlerErrors}`);
  const orderPlacedSubscribers = eventBus.getSubscriberCount(OrderPlaced);
  const wildcardSubscribers = eventBus.getWildcardSubscriberCount();
  print(`    Subscribers for OrderPlaced: ${orderPlacedSubscribers}`);
  print(`    Wildcard subscribers: ${wildcardSubscribers}`);

  print('\n11. Shutting down...');
  await eventBus.shutdown();
  print('    Event bus shutdown complete');

  print(`\n${rule}`);
  print('Tutorial complete!');
  print(rule);

  return {
    totalRevenue: projection.totalRevenue,
    orderCounts: Object.fromEntries(projection.orderCounts),
    notificationsSent: notifications.notificationsSent,
    auditEntries: auditLogger.auditLog.length,
    stats,
    orderPlacedSubscribers,
    wildcardSubscribers,
  };
}

/** Prints a map the way the tutorial's Python prints a dict. */
function pythonDict(map: ReadonlyMap<string, number>): string {
  return `{${[...map].map(([key, value]) => `'${key}': ${value}`).join(', ')}}`;
}
