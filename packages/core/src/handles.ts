import type { AnyEventType, EventOf } from './defineEvent.js';
import { EventwireError } from './errors.js';

/**
 * The event types each decorated method handles. Keyed by the method function itself, so the
 * decorator needs neither `Symbol.metadata` (absent in Node 20 and Chromium) nor an instance.
 */
const handledTypes = new WeakMap<object, readonly AnyEventType[]>();

/** A method that accepts the events of `T` as its first argument. */
export type HandlerMethod<This, T extends AnyEventType> = (this: This, event: EventOf<T>, ...rest: never[]) => unknown;

/**
 * A standard (TC39) method decorator: marks a method of an `EventProcessor` or a
 * `ProcessApplication` as the handler of one or more event types. TypeScript 5+ compiles it
 * without `experimentalDecorators`; the method's first parameter is checked against the types.
 *
 * Vite 8 (Oxc) does not lower standard decorators yet, and no engine runs them natively: in a
 * Vite project add a decorator transform, or use the decorator-free form, `this.on(Type, fn)`.
 *
 * @param eventTypes the event types the method handles
 * @returns the decorator; it leaves the method unchanged
 *
 * @example
 * ```ts
 * class Balances extends EventProcessor {
 *   readonly balances = new Map<string, number>();
 *
 *   @handles(MoneyDeposited)
 *   onDeposited(event: EventOf<typeof MoneyDeposited>) {
 *     this.balances.set(event.data.account, (this.balances.get(event.data.account) ?? 0) + event.data.amount);
 *   }
 * }
 * ```
 */
export function handles<const Types extends readonly [AnyEventType, ...AnyEventType[]]>(...eventTypes: Types) {
  assertEventTypes(eventTypes);
  return function <This, Method extends HandlerMethod<This, Types[number]>>(
    method: Method,
    context: ClassMethodDecoratorContext<This>,
  ): Method {
    if (context.kind !== 'method' || context.static || context.private) {
      throw new EventwireError('INVALID_ARGUMENT', `@handles can only decorate public instance methods (on "${String(context.name)}")`);
    }
    markHandler(method, eventTypes);
    return method;
  };
}

/**
 * Marks a function as the handler of event types, as `@handles` does: the decorator-free form
 * for classes written without decorators.
 *
 * @example
 * ```ts
 * class Balances extends EventProcessor {
 *   onDeposited(event: EventOf<typeof MoneyDeposited>) { ... }
 * }
 * markHandler(Balances.prototype.onDeposited, [MoneyDeposited]);
 * ```
 */
export function markHandler(method: (...args: never[]) => unknown, eventTypes: readonly AnyEventType[]): void {
  assertEventTypes(eventTypes);
  const previous = handledTypes.get(method) ?? [];
  handledTypes.set(method, [...previous, ...eventTypes]);
}

/**
 * The handler methods of an instance, found on its prototype chain: the most derived
 * override of a name wins, so a subclass can replace a handler.
 * @internal
 */
export function discoverHandlerMethods(instance: object): { methodName: string | symbol; eventTypes: readonly AnyEventType[] }[] {
  const found: { methodName: string | symbol; eventTypes: readonly AnyEventType[] }[] = [];
  const seen = new Set<string | symbol>();
  for (let proto = Object.getPrototypeOf(instance) as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Reflect.ownKeys(proto)) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key);
      const value = Object.getOwnPropertyDescriptor(proto, key)?.value as unknown;
      const eventTypes = typeof value === 'function' ? handledTypes.get(value) : undefined;
      if (eventTypes !== undefined) found.push({ methodName: key, eventTypes });
    }
  }
  return found;
}

function assertEventTypes(eventTypes: readonly unknown[]): void {
  if (eventTypes.length === 0) throw new EventwireError('INVALID_ARGUMENT', '@handles needs at least one event type');
  for (const eventType of eventTypes) {
    if (typeof (eventType as { type?: unknown } | null)?.type !== 'string') {
      throw new EventwireError('INVALID_ARGUMENT', '@handles takes event types made by defineEvent');
    }
  }
}
