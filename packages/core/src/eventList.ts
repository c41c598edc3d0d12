import { EventwireError } from './errors.js';
import type { AnyEvent } from './event.js';

/**
 * Checks what a caller passed to `publish`: one event or an array of events. A cheap shape
 * check (the full check happens in `create` and `registry.decode`), so that a non-event gets a
 * typed error before anything is dispatched.
 * @internal
 */
export function toEventList(events: unknown): readonly AnyEvent[] {
  if (Array.isArray(events)) {
    for (let i = 0; i < events.length; i++) assertEvent(events[i], i);
    return events as readonly AnyEvent[];
  }
  assertEvent(events, 0);
  return [events as AnyEvent];
}

/** @internal */
export function assertEvent(value: unknown, index: number): asserts value is AnyEvent {
  if (!isEventShape(value)) throw notAnEvent(index);
}

/**
 * The shape check alone, small enough to be inlined on the dispatch path.
 * @internal
 */
export function isEventShape(value: unknown): value is AnyEvent {
  return typeof value === 'object' && value !== null && typeof (value as AnyEvent).type === 'string' && typeof (value as AnyEvent).id === 'string';
}

/** @internal */
export function notAnEvent(index: number): EventwireError<'INVALID_EVENT'> {
  return new EventwireError(
    'INVALID_EVENT',
    `publish: item ${index} is not an event (expected an object with string "id" and "type"; create events with defineEvent(...).create)`,
    { details: { index } },
  );
}
