import {
  InMemoryEventBus,
  type AnyEvent,
  type AnyEventType,
  type BackgroundPublish,
  type EventOf,
  type InMemoryEventBusOptions,
  type InMemoryPublishOptions,
  type PublishResult,
} from '@eventwire/core';
import { matchesFields } from './matchesFields.js';

/**
 * A real in-memory bus that also records what was published, for users' tests: replace the
 * app's bus with it, run the code under test, then assert on `published`.
 *
 * @example
 * ```ts
 * const bus = new RecordingEventBus();
 * await registerUser(bus, { name: 'ada' });
 * bus.assertPublished(UserRegistered, { name: 'ada' });
 * expect(bus.callCount).toBe(1);
 * ```
 */
export class RecordingEventBus extends InMemoryEventBus {
  readonly #published: AnyEvent[] = [];

  constructor(options: InMemoryEventBusOptions = {}) {
    super({ name: 'recording', ...options });
  }

  /** Every event published so far, in order. */
  get published(): readonly AnyEvent[] {
    return this.#published;
  }

  /** How many events were published. */
  get callCount(): number {
    return this.#published.length;
  }

  override publish(events: AnyEvent | readonly AnyEvent[], options?: InMemoryPublishOptions & { background?: false }): Promise<PublishResult>;
  override publish(events: AnyEvent | readonly AnyEvent[], options: InMemoryPublishOptions & { background: true }): Promise<BackgroundPublish>;
  override publish(events: AnyEvent | readonly AnyEvent[], options?: InMemoryPublishOptions): Promise<PublishResult | BackgroundPublish>;
  override publish(events: AnyEvent | readonly AnyEvent[], options?: InMemoryPublishOptions): Promise<PublishResult | BackgroundPublish> {
    const publishing = super.publish(events, options);
    // Record only what the bus accepted: an invalid publish rejects before dispatching anything.
    this.#record(events);
    return publishing;
  }

  override publishSync(events: AnyEvent | readonly AnyEvent[]): void {
    super.publishSync(events);
    this.#record(events);
  }

  /** The published events of one type, typed. */
  publishedOf<T extends AnyEventType>(eventType: T): EventOf<T>[] {
    return this.#published.filter((event): event is EventOf<T> => eventType.is(event));
  }

  /**
   * Asserts that an event of this type was published, with these data fields (a deep partial
   * match), and returns it. Throws an error listing what was published otherwise.
   */
  assertPublished<T extends AnyEventType>(eventType: T, fields: Partial<EventOf<T>['data']> = {}): EventOf<T> {
    const candidates = this.publishedOf(eventType);
    const match = candidates.find((event) => matchesFields(event.data, fields));
    if (match !== undefined) return match;
    throw new Error(
      [
        `Expected ${eventType.type} with ${JSON.stringify(fields)} to have been published.`,
        candidates.length === 0 ? `No ${eventType.type} was published.` : `${eventType.type} published with:`,
        ...candidates.map((event) => `  ${JSON.stringify(event.data)}`),
        `All published: ${this.#published.map((event) => event.type).join(', ') || '(nothing)'}`,
      ].join('\n'),
    );
  }

  /** Asserts that no event of this type was published. */
  assertNotPublished(eventType: AnyEventType): void {
    const found = this.publishedOf(eventType);
    if (found.length > 0) throw new Error(`Expected no ${eventType.type}, but ${found.length} were published: ${JSON.stringify(found.map((event) => event.data))}`);
  }

  /** Forgets what was recorded (subscriptions stay). */
  clearPublished(): void {
    this.#published.length = 0;
  }

  #record(events: AnyEvent | readonly AnyEvent[]): void {
    const list: readonly unknown[] = Array.isArray(events) ? events : [events];
    // The bus refuses the whole call when any item is not an event: record nothing then.
    if (list.every(isEventLike)) this.#published.push(...(list as readonly AnyEvent[]));
  }
}

function isEventLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as AnyEvent).type === 'string' && typeof (value as AnyEvent).id === 'string';
}
