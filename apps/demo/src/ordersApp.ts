import { AggregateRepository, BoundedIdSet, deadLetterId, InMemoryDeadLetterStore, InMemoryEventBus, InMemoryEventStore, type AnyEvent, type EventStore } from '@eventwire/core';
import { connectDevtools, type DevtoolsConnection } from '@eventwire/devtools-bridge';
import { OrderPlaced, sensitiveFields } from './domain/events.js';
import { reserveInventory, subscribeHandlers, type AuditLine } from './domain/handlers.js';
import { OrderAggregate, type OrderPlacedData } from './domain/orderAggregate.js';
import { OrderSummaryProjection } from './domain/orderSummaryProjection.js';

const customers = ['Alice Martin', 'Bob Chen', 'Chloé Dubois', 'Deepa Rao', 'Emil Novak', 'Fatima Zahra', 'Gustav Berg', 'Hana Sato'];
const skus = ['KB-01 keyboard', 'MS-22 mouse', 'HD-7 headset', 'CB-3 cable', 'MN-27 monitor'];

/** Options of {@link createOrdersApp}. */
export interface OrdersAppOptions {
  /** What the devtools call this tab. */
  label: string;
  /** Where events are kept; the in-memory store when absent. */
  store?: EventStore;
  /** Stream the bus to the standalone devtools over BroadcastChannel. @default true */
  devtools?: boolean;
  /** Whether this tab sends confirmation emails (the leader does); the placing tab when absent. */
  sendsEmails?: () => boolean;
  /** `page`: the projection runs here; `worker`: its rows are loaded from elsewhere. @default 'page' */
  projection?: 'page' | 'worker';
  /** Append other tabs' events to this tab's store: for a store of its own (in memory). @default true */
  replicate?: boolean;
}

/** The demo's application: a bus, a store, the Order aggregate, handlers, a projection, the devtools bridge. */
export class OrdersApp {
  readonly bus: InMemoryEventBus;
  readonly store: EventStore;
  readonly projection = new OrderSummaryProjection();
  /** The wildcard handler's log, oldest first: the last 200 to 400 lines. */
  readonly audit: AuditLine[] = [];
  /** Failed deliveries, for inspection and replay (from the devtools). */
  readonly deadLetters: InMemoryDeadLetterStore;
  readonly #repository: AggregateRepository<OrderAggregate>;
  /**
   * The ids of the events published here, to tell them from other tabs' events: the recent ones
   * only (as many as the devtools keep, which can replay them), so that a long session's memory
   * does not grow with every event it publishes.
   */
  readonly #localIds = new BoundedIdSet(10_000);
  readonly #listeners = new Set<() => void>();
  readonly #devtools: DevtoolsConnection | undefined;
  #version = 0;
  #scheduled = false;

  constructor(options: OrdersAppOptions) {
    const bus = new InMemoryEventBus({
      name: 'orders',
      onHandlerError: () => {},
      deadLetterSink: (failure) => void this.deadLetters.add({ consumer: failure.handlerName, event: failure.event, error: failure.error, attempts: 1 }),
    });
    this.bus = bus;
    this.deadLetters = new InMemoryDeadLetterStore({ reporter: bus });
    this.store = options.store ?? new InMemoryEventStore();
    const publisher = this.#publisher();
    this.#repository = new AggregateRepository({ eventStore: this.store, aggregateFactory: OrderAggregate, aggregateType: 'Order', eventPublisher: publisher });
    const isLocal = (event: AnyEvent): boolean => this.#localIds.has(event.id);
    const sendsEmails = options.sendsEmails;
    subscribeHandlers(this.bus, {
      audit: (line) => this.#audit(line),
      isLocal,
      sendsEmails: sendsEmails === undefined ? isLocal : () => sendsEmails(),
      publish: publisher.publish, // the follow-up email event is this tab's own too
    });
    if (options.replicate !== false) this.bus.subscribeToAllEvents((event) => this.#replicate(event, isLocal(event)), { name: 'replicateToStore' });
    if (options.projection !== 'worker') this.bus.subscribeAll(this.projection, { name: 'OrderSummaryProjection' });
    this.projection.onChange(() => this.#changed());
    if (options.devtools !== false) {
      this.#devtools = connectDevtools(this.bus, { label: options.label, redact: sensitiveFields, store: this.store, replayDeadLetter: (eventId, consumer) => this.replayDeadLetter(eventId, consumer) });
    }
  }

  /** The bridge to the standalone devtools, when there is one. */
  get devtools(): DevtoolsConnection | undefined {
    return this.#devtools;
  }

  get version(): number {
    return this.#version;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  // COMMANDS

  async placeOrder(data: OrderPlacedData): Promise<string> {
    const order = this.#repository.createNew(`ord_${Math.random().toString(36).slice(2, 8)}`);
    order.place(data, `checkout-${order.aggregateId}`);
    await this.#repository.save(order);
    return order.aggregateId;
  }

  async ship(orderId: string, carrier = 'DHL'): Promise<void> {
    const order = await this.#repository.load(orderId);
    order.ship(carrier);
    await this.#repository.save(order);
  }

  async cancel(orderId: string, reason = 'Customer changed their mind'): Promise<void> {
    const order = await this.#repository.load(orderId);
    order.cancel(reason);
    await this.#repository.save(order);
  }

  /** Runs a dead-lettered delivery again: the consumer's handler only, not the whole bus. */
  replayDeadLetter(eventId: string, consumer: string): Promise<void> {
    return this.deadLetters.replay(deadLetterId(consumer, eventId), (letter) => {
      if (consumer !== 'reserveInventory' || !OrderPlaced.is(letter.event)) throw new Error(`The demo replays reserveInventory only, not ${consumer}`);
      reserveInventory(letter.event);
    });
  }

  /** Places `count` random orders (some big enough to fail the inventory check). */
  async placeRandomOrders(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await this.placeOrder(randomOrder());
  }

  close(): void {
    this.#devtools?.close();
  }

  // INTERNALS

  /** Publishes this tab's own events (what the repository saved, the email's follow-up), remembering their ids as "published here". */
  #publisher() {
    return {
      publish: (events: AnyEvent | readonly AnyEvent[]) => {
        for (const event of Array.isArray(events) ? (events as readonly AnyEvent[]) : [events as AnyEvent]) this.#localIds.add(event.id);
        return this.bus.publish(events);
      },
    };
  }

  /**
   * Events of other tabs go into this tab's store too, so any tab can ship or cancel any order.
   * Appending an id that is already stored is a no-op, so a shared store (IndexedDB) is fine too.
   */
  async #replicate(event: AnyEvent, local: boolean): Promise<void> {
    if (local || event.aggregateType !== 'Order' || event.aggregateId === undefined || event.metadata?.synthetic === true) return;
    await this.store.append(`Order-${event.aggregateId}`, [event], { expectedVersion: 'any' });
  }

  #audit(line: AuditLine): void {
    this.audit.push(line);
    // Cut back to the last 200 lines once there are 400: one copy per 200 lines. Cutting one line
    // per event shifted 200 lines each time (about 0.7 µs on Node: more than the bus's dispatch).
    if (this.audit.length > 400) this.audit.splice(0, this.audit.length - 200);
    this.#changed();
  }

  #changed(): void {
    this.#version++;
    if (this.#scheduled) return;
    this.#scheduled = true;
    setTimeout(() => {
      this.#scheduled = false;
      for (const listener of this.#listeners) listener();
    }, 30);
  }
}

/** A plausible order. */
export function randomOrder(): OrderPlacedData {
  const customerName = customers[Math.floor(Math.random() * customers.length)]!;
  const items = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => ({ sku: skus[Math.floor(Math.random() * skus.length)]!, quantity: 1 + Math.floor(Math.random() * 3) }));
  return {
    customerName,
    customerEmail: `${customerName.split(' ')[0]!.toLowerCase()}@example.com`,
    totalAmount: Math.round((20 + Math.random() * 640) * 100) / 100,
    items,
    cardNumber: '4242 4242 4242 4242',
  };
}
