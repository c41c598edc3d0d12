import { describe, expect, it } from 'vitest';
import { runTutorial } from './runTutorial.js';

// The "Expected output" block of the bus tutorial, verbatim.
const expectedOutput = `============================================================
Tutorial 7: Event Bus
============================================================

1. Setting up infrastructure...
   - Event store, bus, and repository initialized

2. Creating handlers and projections...

3. Subscribing to event bus...
   - Projection subscribed to 3 event types
   - Notification handler subscribed to OrderPlaced
   - Audit logger subscribed to all events

4. Creating orders...
  [Notification] Order placed by Customer 1
  [Notification] Order placed by Customer 2
  [Notification] Order placed by Customer 3
   Created 3 orders

5. Shipping an order...
   Order shipped

6. Cancelling an order...
   Order cancelled

7. Querying projection:
   Total revenue: $450.00
   Order counts: {'placed': 1, 'shipped': 1, 'cancelled': 1}

8. Notification handler:
   Notifications sent: 3

9. Audit log:
   Total events logged: 5
   - OrderPlaced on Order
   - OrderPlaced on Order
   - OrderPlaced on Order

10. Event bus statistics:
    Events published: 5
    Handlers invoked: 13
    Handler errors: 0
    Subscribers for OrderPlaced: 2
    Wildcard subscribers: 1

11. Shutting down...
    Event bus shutdown complete

============================================================
Tutorial complete!
============================================================`;

describe('the bus tutorial, end to end', () => {
  it('reaches the tutorial figures', async () => {
    const figures = await runTutorial(() => {});
    expect(figures.totalRevenue).toBe(450);
    expect(figures.orderCounts).toEqual({ placed: 1, shipped: 1, cancelled: 1 });
    expect(figures.notificationsSent).toBe(3);
    expect(figures.auditEntries).toBe(5);
    expect(figures.stats).toMatchObject({ eventsPublished: 5, handlersInvoked: 13, handlerErrors: 0 });
    expect(figures.orderPlacedSubscribers).toBe(2);
    expect(figures.wildcardSubscribers).toBe(1);
  });

  it("prints the tutorial's expected output, line for line", async () => {
    const lines: string[] = [];
    await runTutorial((line) => void lines.push(line));
    expect(lines.join('\n')).toBe(expectedOutput);
  });
});
