// Type tests: checked by `tsc -p tsconfig.check.json` (npm run check / npm run typecheck).
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import { defineEvent, InMemoryEventBus, type AnyEvent, type Event, type EventOf, type PublishResult, type BackgroundPublish } from '@eventwire/core';

const OrderPlaced = defineEvent('OrderPlaced', z.object({ customerName: z.string(), totalAmount: z.number() }), { aggregateType: 'Order' });
type OrderPlacedEvent = EventOf<typeof OrderPlaced>;

expectTypeOf<OrderPlacedEvent>().toEqualTypeOf<Event<'OrderPlaced', { customerName: string; totalAmount: number }>>();
expectTypeOf(OrderPlaced.create({ customerName: 'a', totalAmount: 1 }).data.totalAmount).toEqualTypeOf<number>();

// @ts-expect-error: data must match the schema's input
OrderPlaced.create({ customerName: 'a' });

const bus = new InMemoryEventBus();
bus.subscribe(OrderPlaced, (event) => {
  expectTypeOf(event).toEqualTypeOf<OrderPlacedEvent>();
  expectTypeOf(event.data.customerName).toEqualTypeOf<string>();
});
bus.subscribe('Order.*', (event) => expectTypeOf(event).toEqualTypeOf<AnyEvent>());
bus.subscribe(OrderPlaced, {
  handle(event) {
    expectTypeOf(event.type).toEqualTypeOf<'OrderPlaced'>();
  },
});

// @ts-expect-error: a handler for another event's data does not fit
bus.subscribe(OrderPlaced, (event: Event<'OrderPlaced', { other: boolean }>) => event.data.other);

expectTypeOf(bus.publish(OrderPlaced.create({ customerName: 'a', totalAmount: 1 }))).toEqualTypeOf<Promise<PublishResult>>();
expectTypeOf(bus.publish([], { background: true })).toEqualTypeOf<Promise<BackgroundPublish>>();
expectTypeOf(bus.subscribe(OrderPlaced, () => {})).toEqualTypeOf<() => void>();

const unknownValue: unknown = {};
if (OrderPlaced.is(unknownValue)) expectTypeOf(unknownValue).toEqualTypeOf<OrderPlacedEvent>();
