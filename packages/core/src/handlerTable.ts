import type { AnyEventType, EventOf } from './defineEvent.js';
import { EventwireError } from './errors.js';
import type { AnyEvent } from './event.js';
import { discoverHandlerMethods } from './handles.js';

/** A handler in a {@link HandlerTable}: the event, then whatever context the caller passes. */
export type RoutedHandler = (event: AnyEvent, ...context: never[]) => unknown;

/**
 * Routes events by type name to the handlers of one object: its `@handles` methods (bound
 * to it) and the handlers added with `add`. Handlers of one event run one after the other,
 * in the order they were declared; only returned promises are awaited, so a processor of
 * synchronous handlers costs no promise per event.
 * @internal shared by `EventProcessor` and `ProcessApplication`
 */
export class HandlerTable {
  readonly #routes = new Map<string, RoutedHandler[]>();
  readonly #types = new Map<string, AnyEventType>();

  /** The table of an object's decorated methods. */
  static discover(instance: object): HandlerTable {
    const table = new HandlerTable();
    for (const { methodName, eventTypes } of discoverHandlerMethods(instance)) {
      const method = (instance as Record<string | symbol, (this: object, ...args: unknown[]) => unknown>)[methodName]!;
      // An arrow, not bind(): V8 inlines it, and bound functions are slower to call.
      const call = (event: AnyEvent, ...context: unknown[]) => (context.length === 0 ? method.call(instance, event) : method.call(instance, event, ...context));
      for (const eventType of eventTypes) table.add(eventType, call as RoutedHandler);
    }
    return table;
  }

  add<T extends AnyEventType>(eventType: T, handler: (event: EventOf<T>, ...context: never[]) => unknown): void {
    if (typeof handler !== 'function') throw new EventwireError('INVALID_ARGUMENT', `the handler of "${eventType.type}" is not a function`);
    const known = this.#types.get(eventType.type);
    if (known !== undefined && known !== eventType) {
      throw new EventwireError('DUPLICATE_EVENT_TYPE', `two different event types are named "${eventType.type}"`);
    }
    this.#types.set(eventType.type, eventType);
    const list = this.#routes.get(eventType.type) ?? [];
    list.push(handler as RoutedHandler);
    this.#routes.set(eventType.type, list);
  }

  /** Whether any handler takes events of this type name. */
  has(type: string): boolean {
    return this.#routes.has(type);
  }

  /** The event types handled, one per name. */
  eventTypes(): AnyEventType[] {
    return [...this.#types.values()];
  }

  /**
   * Runs the handlers of the event's type in order. Returns a promise only when a handler
   * did; an error (thrown or rejected) stops the remaining handlers of this event.
   */
  run(event: AnyEvent, context: readonly unknown[]): unknown {
    const handlers = this.#routes.get(event.type);
    if (handlers === undefined) return undefined;
    for (let i = 0; i < handlers.length; i++) {
      const handler = handlers[i] as (event: AnyEvent, ...context: unknown[]) => unknown;
      // No spread for the common cases: it costs more than the dispatch itself.
      const result = context.length === 0 ? handler(event) : context.length === 1 ? handler(event, context[0]) : handler(event, ...context);
      if (isThenable(result)) return result.then(() => this.#runFrom(handlers, i + 1, event, context));
    }
    return undefined;
  }

  async #runFrom(handlers: readonly RoutedHandler[], start: number, event: AnyEvent, context: readonly unknown[]): Promise<void> {
    for (let i = start; i < handlers.length; i++) await (handlers[i] as (event: AnyEvent, ...context: unknown[]) => unknown)(event, ...context);
  }
}

/** @internal */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
