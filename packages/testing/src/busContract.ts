import { isEventwireError, type AnyEvent, type EventBus, type InspectionRecord } from '@eventwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { deferred } from './deferred.js';
import { placed, registered, shipped, TestOrderPlaced, TestOrderShipped, TestUserRegistered } from './fixtures.js';

/**
 * The EventBus contract: the semantics every bus implementation keeps (the in-memory bus,
 * buses behind a worker, recording buses). Call it from a test file with a factory.
 *
 * @param name shown in the test names
 * @param createBus makes a fresh bus for each test
 *
 * @example
 * ```ts
 * import { testEventBusContract } from '@eventwire/testing';
 * testEventBusContract('InMemoryEventBus', () => new InMemoryEventBus({ onHandlerError: () => {} }));
 * ```
 */
export function testEventBusContract(name: string, createBus: () => EventBus | Promise<EventBus>): void {
  describe(`EventBus contract: ${name}`, () => {
    const buses: EventBus[] = [];
    const make = async (): Promise<EventBus> => {
      const bus = await createBus();
      buses.push(bus);
      return bus;
    };
    afterEach(async () => {
      for (const bus of buses.splice(0)) await bus.shutdown({ timeoutMs: 1000 });
    });

    describe('subscribing', () => {
      it('delivers an event to handlers subscribed by event type and by type name', async () => {
        const bus = await make();
        const byType: AnyEvent[] = [];
        const byName: AnyEvent[] = [];
        bus.subscribe(TestOrderPlaced, (event) => void byType.push(event));
        bus.subscribe('TestOrderPlaced', (event) => void byName.push(event));
        const event = placed();
        await bus.publish(event);
        expect(byType).toEqual([event]);
        expect(byName).toEqual([event]);
      });

      it('does not deliver events of other types', async () => {
        const bus = await make();
        const seen: string[] = [];
        bus.subscribe(TestOrderShipped, (event) => void seen.push(event.type));
        await bus.publish([placed(), registered()]);
        expect(seen).toEqual([]);
      });

      it('calls handler objects through handle(), with this bound to the object', async () => {
        const bus = await make();
        const handler = {
          count: 0,
          handle(this: { count: number }) {
            this.count += 1;
          },
        };
        bus.subscribe(TestOrderPlaced, handler);
        await bus.publish([placed(), placed()]);
        expect(handler.count).toBe(2);
      });

      it('matches routing-key patterns: Type.*, *.Type and Type.>', async () => {
        const bus = await make();
        const seen: Record<string, string[]> = { orders: [], placedAnywhere: [], ordersTail: [] };
        bus.subscribe('TestOrder.*', (event) => void seen.orders!.push(event.type));
        bus.subscribe('*.TestOrderPlaced', (event) => void seen.placedAnywhere!.push(event.type));
        bus.subscribe('TestOrder.>', (event) => void seen.ordersTail!.push(event.type));
        await bus.publish([placed(), shipped(), registered()]);
        expect(seen.orders).toEqual(['TestOrderPlaced', 'TestOrderShipped']);
        expect(seen.placedAnywhere).toEqual(['TestOrderPlaced']);
        expect(seen.ordersTail).toEqual(['TestOrderPlaced', 'TestOrderShipped']);
      });

      it('delivers every event to wildcard subscribers, counted apart', async () => {
        const bus = await make();
        const seen: string[] = [];
        bus.subscribeToAllEvents((event) => void seen.push(event.type));
        bus.subscribe(TestOrderPlaced, () => {});
        await bus.publish([placed(), shipped(), registered()]);
        expect(seen).toEqual(['TestOrderPlaced', 'TestOrderShipped', 'TestUserRegistered']);
        expect(bus.getWildcardSubscriberCount()).toBe(1);
        expect(bus.getSubscriberCount(TestOrderPlaced)).toBe(1);
      });

      it('subscribeAll subscribes a projection to each declared type (method or array)', async () => {
        const bus = await make();
        const withMethod = { seen: [] as string[], subscribedTo: () => [TestOrderPlaced, TestOrderShipped], handle(event: AnyEvent) { this.seen.push(event.type); } };
        const withArray = { seen: [] as string[], subscribedTo: [TestUserRegistered], handle(event: AnyEvent) { this.seen.push(event.type); } };
        bus.subscribeAll(withMethod);
        const unsubscribe = bus.subscribeAll(withArray);
        await bus.publish([placed(), shipped(), registered()]);
        expect(withMethod.seen).toEqual(['TestOrderPlaced', 'TestOrderShipped']);
        expect(withArray.seen).toEqual(['TestUserRegistered']);
        unsubscribe();
        await bus.publish(registered());
        expect(withArray.seen).toHaveLength(1);
        expect(bus.getSubscriberCount(TestOrderPlaced)).toBe(1);
      });

      it('unsubscribe removes one subscription and says whether it found one', async () => {
        const bus = await make();
        const seen: string[] = [];
        const handler = (event: AnyEvent): void => void seen.push(event.type);
        bus.subscribe(TestOrderPlaced, handler);
        expect(bus.unsubscribe(TestOrderPlaced, handler)).toBe(true);
        expect(bus.unsubscribe(TestOrderPlaced, handler)).toBe(false);
        bus.subscribeToAllEvents(handler);
        expect(bus.unsubscribeFromAllEvents(handler)).toBe(true);
        expect(bus.unsubscribeFromAllEvents(handler)).toBe(false);
        await bus.publish(placed());
        expect(seen).toEqual([]);
      });

      it('the function returned by subscribe removes exactly that subscription, once', async () => {
        const bus = await make();
        const seen: string[] = [];
        const first = bus.subscribe(TestOrderPlaced, () => void seen.push('first'));
        bus.subscribe(TestOrderPlaced, () => void seen.push('second'));
        first();
        first();
        await bus.publish(placed());
        expect(seen).toEqual(['second']);
        expect(bus.getSubscriberCount('TestOrderPlaced')).toBe(1);
      });

      it('clearSubscribers removes every subscription', async () => {
        const bus = await make();
        let calls = 0;
        bus.subscribe(TestOrderPlaced, () => void calls++);
        bus.subscribe('TestOrder.*', () => void calls++);
        bus.subscribeToAllEvents(() => void calls++);
        bus.clearSubscribers();
        await bus.publish(placed());
        expect(calls).toBe(0);
        expect(bus.getSubscriberCount(TestOrderPlaced)).toBe(0);
        expect(bus.getWildcardSubscriberCount()).toBe(0);
      });

      it('rejects a handler that is neither a function nor an object with handle()', async () => {
        const bus = await make();
        expect(() => bus.subscribe(TestOrderPlaced, {} as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
        expect(() => bus.subscribe('', () => {})).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
        expect(() => bus.subscribe('Order.>.x', () => {})).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      });
    });

    describe('dispatch semantics', () => {
      it('dispatches the events of one publish in order, each after the previous one settled', async () => {
        const bus = await make();
        const log: string[] = [];
        bus.subscribe(TestOrderPlaced, async (event) => {
          log.push(`start ${event.data.customerName}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
          log.push(`end ${event.data.customerName}`);
        });
        await bus.publish([placed('A'), placed('B'), placed('C')]);
        expect(log).toEqual(['start A', 'end A', 'start B', 'end B', 'start C', 'end C']);
      });

      it('runs the handlers of one event concurrently', async () => {
        const bus = await make();
        const gate = deferred();
        // If the second handler only started after the first finished, this would never settle.
        bus.subscribe(TestOrderPlaced, () => gate.promise);
        bus.subscribe(TestOrderPlaced, async () => gate.resolve());
        const result = await bus.publish(placed());
        expect(result).toMatchObject({ eventsPublished: 1, handlersInvoked: 2 });
      });

      it('accepts one event or an array', async () => {
        const bus = await make();
        let calls = 0;
        bus.subscribeToAllEvents(() => void calls++);
        await bus.publish(placed());
        await bus.publish([placed(), shipped()]);
        expect(calls).toBe(3);
      });

      it('a subscribe or unsubscribe during dispatch does not disturb the dispatch in progress', async () => {
        const bus = await make();
        const log: string[] = [];
        const late = (): void => void log.push('late');
        const second = (): void => void log.push('second');
        bus.subscribe(TestOrderPlaced, () => {
          log.push('first');
          bus.unsubscribe(TestOrderPlaced, second);
          bus.subscribe(TestOrderPlaced, late);
        });
        bus.subscribe(TestOrderPlaced, second);
        await bus.publish(placed());
        expect(log).toEqual(['first', 'second']);
        await bus.publish(placed());
        expect(log).toEqual(['first', 'second', 'first', 'late']);
      });
    });

    describe('errors', () => {
      it('isolates a throwing and a rejecting handler: others run, publish resolves, failures are listed and counted', async () => {
        const bus = await make();
        const seen: string[] = [];
        bus.subscribe(TestOrderPlaced, function throws() {
          throw new Error('sync boom');
        });
        bus.subscribe(TestOrderPlaced, async function rejects() {
          throw new Error('async boom');
        });
        bus.subscribe(TestOrderPlaced, () => void seen.push('ok'));
        const event = placed();
        const result = await bus.publish([event, placed()]);
        expect(seen).toEqual(['ok', 'ok']);
        expect(result.failures).toHaveLength(4);
        expect(result.failures.map((failure) => failure.handlerName).sort()).toEqual(['rejects', 'rejects', 'throws', 'throws']);
        expect(result.failures[0]?.event).toBe(event);
        expect(bus.getStats().handlerErrors).toBe(4);
      });

      it("errors: 'throw' rejects with HANDLER_FAILED after the event's handlers settle and stops later events", async () => {
        const bus = await make();
        const seen: string[] = [];
        bus.subscribe(TestOrderPlaced, async () => {
          throw new Error('payment declined');
        });
        bus.subscribe(TestOrderPlaced, (event) => void seen.push(event.data.customerName));
        const error: unknown = await bus.publish([placed('A'), placed('B')], { errors: 'throw' }).catch((caught: unknown) => caught);
        expect(isEventwireError(error, 'HANDLER_FAILED')).toBe(true);
        expect((error as Error).cause).toEqual(new Error('payment declined'));
        expect(seen).toEqual(['A']);
      });

      it('rejects a publish of something that is not an event with INVALID_EVENT, dispatching nothing, and keeps working', async () => {
        const bus = await make();
        let calls = 0;
        bus.subscribeToAllEvents(() => void calls++);
        for (const bad of [null, 42, 'OrderPlaced', { type: 'X' }, [placed(), { id: 1, type: 'Y' }]]) {
          const error: unknown = await bus.publish(bad as never).catch((caught: unknown) => caught);
          expect(isEventwireError(error, 'INVALID_EVENT')).toBe(true);
        }
        expect(calls).toBe(0);
        await bus.publish(placed());
        expect(calls).toBe(1);
      });
    });

    describe('background work', () => {
      it('a background publish returns before slow handlers finish; shutdown waits for them', async () => {
        const bus = await make();
        const gate = deferred();
        let finished = false;
        bus.subscribe(TestOrderPlaced, async () => {
          await gate.promise;
          finished = true;
        });
        const publishing = await bus.publish(placed(), { background: true });
        expect(publishing.background).toBe(true);
        expect(finished).toBe(false);
        expect(bus.getBackgroundTaskCount()).toBe(1);
        setTimeout(() => gate.resolve(), 10);
        const shutdown = await bus.shutdown({ timeoutMs: 5000 });
        expect(shutdown).toEqual({ completed: true, pendingTasks: [] });
        expect(finished).toBe(true);
        expect(bus.getBackgroundTaskCount()).toBe(0);
        expect(bus.getStats()).toMatchObject({ backgroundTasksCreated: 1, backgroundTasksCompleted: 1 });
        await expect(publishing.done).resolves.toMatchObject({ eventsPublished: 1, handlersInvoked: 1 });
      });

      it('shutdown gives up after its timeout and reports what was still running', async () => {
        const bus = await make();
        const gate = deferred();
        bus.subscribe(TestOrderPlaced, () => gate.promise);
        const event = placed();
        await bus.publish(event, { background: true });
        const shutdown = await bus.shutdown({ timeoutMs: 20 });
        expect(shutdown.completed).toBe(false);
        expect(shutdown.pendingTasks).toHaveLength(1);
        expect(shutdown.pendingTasks[0]?.eventIds).toEqual([event.id]);
        gate.resolve();
      });

      it('publishSync runs sync handlers before it returns and tracks async ones as background work', async () => {
        const bus = await make();
        const gate = deferred();
        const log: string[] = [];
        bus.subscribe(TestOrderPlaced, () => void log.push('sync'));
        bus.subscribe(TestOrderPlaced, async () => {
          await gate.promise;
          log.push('async');
        });
        bus.publishSync(placed());
        expect(log).toEqual(['sync']);
        expect(bus.getBackgroundTaskCount()).toBe(1);
        gate.resolve();
        expect((await bus.shutdown({ timeoutMs: 5000 })).completed).toBe(true);
        expect(log).toEqual(['sync', 'async']);
      });
    });

    describe('statistics', () => {
      it('counts events published, handlers invoked and errors', async () => {
        const bus = await make();
        bus.subscribe(TestOrderPlaced, () => {});
        bus.subscribe(TestOrderPlaced, () => {
          throw new Error('x');
        });
        bus.subscribeToAllEvents(() => {});
        await bus.publish([placed(), shipped()]);
        expect(bus.getStats()).toEqual({
          eventsPublished: 2,
          handlersInvoked: 4,
          handlerErrors: 1,
          backgroundTasksCreated: 0,
          backgroundTasksCompleted: 0,
        });
      });
    });

    describe('inspection', () => {
      it('sends an init record first, then subscribed, published, delivered, failed and unsubscribed records', async () => {
        const bus = await make();
        bus.subscribe(TestOrderPlaced, function existing() {}, { name: 'existing' });
        const records: InspectionRecord[] = [];
        const stop = bus.inspect((record) => void records.push(record));
        expect(records[0]).toMatchObject({ type: 'init', subscriptions: [{ kind: 'type', key: 'TestOrderPlaced', handlerName: 'existing' }] });
        const unsubscribe = bus.subscribe(TestOrderPlaced, async function failing() {
          throw new Error('nope');
        });
        const event = placed();
        await bus.publish(event);
        unsubscribe();
        const types = records.map((record) => record.type);
        expect(types).toEqual(['init', 'subscribed', 'published', 'delivered', 'failed', 'unsubscribed']);
        const failed = records.find((record) => record.type === 'failed');
        expect(failed).toMatchObject({ eventId: event.id, error: { message: 'nope' } });
        expect(JSON.parse(JSON.stringify(records))).toEqual(records);
        stop();
        await bus.publish(placed());
        expect(records).toHaveLength(types.length);
      });

      it('passes records reported by adapters to inspectors, stamped with the bus id and time', async () => {
        const bus = await make();
        const records: InspectionRecord[] = [];
        bus.inspect((record) => void records.push(record));
        bus.report({ type: 'stored', store: 'memory', streamId: 'Order-1', eventId: 'e1', version: 1, position: 1 });
        expect(records[1]).toMatchObject({ type: 'stored', streamId: 'Order-1', busId: records[0]?.busId, time: expect.any(Number) });
      });

      it('a throwing inspector never stops the bus', async () => {
        const bus = await make();
        let calls = 0;
        bus.subscribe(TestOrderPlaced, () => void calls++);
        const originalError = console.error;
        console.error = () => {};
        try {
          bus.inspect(() => {
            throw new Error('broken devtools');
          });
          await bus.publish(placed());
        } finally {
          console.error = originalError;
        }
        expect(calls).toBe(1);
      });
    });
  });
}
