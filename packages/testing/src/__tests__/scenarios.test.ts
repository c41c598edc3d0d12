import { AggregateRoot, Application, EventProcessor, EventwireError, ProcessApplication, System, type AnyEvent, type ApplicationOptions } from '@eventwire/core';
import { describe, expect, it } from 'vitest';
import { aggregateScenario, processorScenario, ScenarioFailure, systemScenario } from '../index.js';
import { TestOrderPlaced, TestOrderShipped } from '../fixtures.js';

class Order extends AggregateRoot<{ placed: boolean; shipped: boolean }> {
  readonly aggregateType = 'TestOrder';
  place(customerName: string, totalAmount: number) {
    if (this.state.placed) throw new EventwireError('INVALID_AGGREGATE_STATE', 'already placed');
    this.applyEvent(TestOrderPlaced.create({ customerName, totalAmount }, this.nextEnvelope()));
  }
  ship(trackingNumber: string) {
    if (!this.state.placed) throw new EventwireError('INVALID_AGGREGATE_STATE', 'not placed yet');
    this.applyEvent(TestOrderShipped.create({ trackingNumber }, this.nextEnvelope()));
  }
  protected getInitialState() {
    return { placed: false, shipped: false };
  }
  protected apply(state: { placed: boolean; shipped: boolean }, event: AnyEvent) {
    if (TestOrderPlaced.is(event)) return { ...state, placed: true };
    if (TestOrderShipped.is(event)) return { ...state, shipped: true };
    return state;
  }
}

// A fixed id: workerd forbids generating random values (nanoid) at module scope.
const placedBefore = TestOrderPlaced.create(
  { customerName: 'Alice', totalAmount: 10 },
  { id: 'placed-before', occurredAt: '2026-01-01T00:00:00.000Z', aggregateId: 'o-1', aggregateVersion: 1 },
);

async function failureOf(run: Promise<unknown>): Promise<ScenarioFailure> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioFailure);
  return error as ScenarioFailure;
}

describe('aggregateScenario', () => {
  it('passes when the events match in type and data, whatever their ids and times', async () => {
    await aggregateScenario(Order)
      .given(placedBefore)
      .when((order) => order.ship('T-1'))
      .then({ type: 'TestOrderShipped', data: { trackingNumber: 'T-1' } });
  });

  it('fails with both event lists and the first difference', async () => {
    const failure = await failureOf(
      aggregateScenario(Order)
        .given(placedBefore)
        .when((order) => order.ship('T-1'))
        .then(TestOrderShipped.create({ trackingNumber: 'T-2' })),
    );
    expect(failure.message).toBe(
      [
        'Aggregate scenario: the events differ at #1: expected TestOrderShipped {"trackingNumber":"T-2"}, got TestOrderShipped {"trackingNumber":"T-1"}',
        'Expected 1 event:',
        '  1. TestOrderShipped {"trackingNumber":"T-2"}',
        'Actual 1 event:',
        '  1. TestOrderShipped {"trackingNumber":"T-1"}',
      ].join('\n'),
    );
    expect(failure.expected).toBe('  1. TestOrderShipped {"trackingNumber":"T-2"}');
    expect(failure.actual).toBe('  1. TestOrderShipped {"trackingNumber":"T-1"}');
  });

  it('fails when an event is missing or extra', async () => {
    const missing = await failureOf(
      aggregateScenario(Order)
        .when((order) => order.place('Bob', 5))
        .then(TestOrderPlaced.create({ customerName: 'Bob', totalAmount: 5 }), TestOrderShipped.create({ trackingNumber: 'T' })),
    );
    expect(missing.message).toContain('differ at #2: expected TestOrderShipped {"trackingNumber":"T"}, got no more events');
    const extra = await failureOf(aggregateScenario(Order).when((order) => order.place('Bob', 5)).then());
    expect(extra.message).toContain('expected no more events, got TestOrderPlaced {"customerName":"Bob","totalAmount":5}');
  });

  it('checks an expected error, and says what happened instead', async () => {
    await aggregateScenario(Order).when((order) => order.ship('T')).thenThrows('INVALID_AGGREGATE_STATE');
    await aggregateScenario(Order).when((order) => order.ship('T')).thenThrows(/not placed/);
    await aggregateScenario(Order).when((order) => order.ship('T')).thenThrows(EventwireError);
    const succeeded = await failureOf(aggregateScenario(Order).when((order) => order.place('Bob', 5)).thenThrows('INVALID_AGGREGATE_STATE'));
    expect(succeeded.message).toContain('but it succeeded with 1 event:\n  1. TestOrderPlaced {"customerName":"Bob","totalAmount":5}');
    const other = await failureOf(aggregateScenario(Order).given(placedBefore).when((order) => order.place('Bob', 5)).thenThrows(/not placed/));
    expect(other.message).toContain('but it threw EventwireError [INVALID_AGGREGATE_STATE]: already placed');
    const threw = await failureOf(aggregateScenario(Order).when((order) => order.ship('T')).then(TestOrderShipped.create({ trackingNumber: 'T' })));
    expect(threw.message).toContain('but the command threw EventwireError [INVALID_AGGREGATE_STATE]: not placed yet');
  });

  it('gives the outcome to check by hand', async () => {
    const outcome = await aggregateScenario(Order)
      .when((order) => order.place('Bob', 5))
      .outcome();
    expect(outcome.threw).toBe(false);
    expect(outcome.events.map((e) => e.type)).toEqual(['TestOrderPlaced']);
    expect(outcome.aggregate.state.placed).toBe(true);
  });

  it('does not let a forgotten expectation pass silently in TypeScript', async () => {
    // @ts-expect-error: awaiting "when" without then/thenThrows/outcome checks nothing
    const unchecked: unknown = await aggregateScenario(Order).when((order) => order.place('Bob', 5));
    // In plain JavaScript the same await resolves with the outcome.
    expect((unchecked as { events: unknown[] }).events).toHaveLength(1);
  });
});

describe('processorScenario', () => {
  class Revenue extends EventProcessor {
    total = 0;
    constructor() {
      super();
      this.on(TestOrderPlaced, (event) => {
        if (event.data.totalAmount < 0) throw new Error('negative amount');
        this.total += event.data.totalAmount;
      });
    }
  }

  it('passes when the state matches after the given events', async () => {
    const revenue = await processorScenario(() => new Revenue())
      .given(placedBefore, TestOrderPlaced.create({ customerName: 'B', totalAmount: 5 }))
      .shouldHaveState((p) => p.total === 15);
    expect(revenue.total).toBe(15);
  });

  it('fails with the given events and the processor state', async () => {
    const failure = await failureOf(processorScenario(new Revenue()).given(placedBefore).shouldHaveState((p) => p.total === 99));
    expect(failure.message).toContain('Revenue does not have the expected state.');
    expect(failure.message).toContain('Given 1 event:\n  1. TestOrderPlaced {"customerName":"Alice","totalAmount":10}');
    expect(failure.message).toContain('State: {"name":"Revenue","total":10}');
  });

  it('accepts expect() inside the predicate, and names the event a processor failed on', async () => {
    const failure = await failureOf(processorScenario(new Revenue()).given(placedBefore).shouldHaveState((p) => void expect(p.total).toBe(1)));
    expect(failure.message).toContain('expected 10 to be 1');
    const failed = await failureOf(
      processorScenario(new Revenue())
        .given(placedBefore, TestOrderPlaced.create({ customerName: 'C', totalAmount: -1 }))
        .shouldHaveState(() => true),
    );
    expect(failed.message).toContain('Revenue failed on given event #2 (TestOrderPlaced {"customerName":"C","totalAmount":-1}): Error: negative amount');
  });
});

describe('systemScenario', () => {
  class Orders extends Application {
    async place(orderId: string) {
      const order = new Order(orderId);
      order.place('Zed', 1);
      await this.save(order);
    }
  }
  class Shipment extends AggregateRoot<number> {
    readonly aggregateType = 'TestShipment';
    ship(trackingNumber: string) {
      this.applyEvent(TestOrderShipped.create({ trackingNumber }, this.nextEnvelope()));
    }
    protected getInitialState() {
      return 0;
    }
    protected apply(state: number) {
      return state + 1;
    }
  }
  class Shipping extends ProcessApplication {
    constructor(options?: ApplicationOptions) {
      super(options);
      this.on(TestOrderPlaced, (event, processing) => {
        const shipment = new Shipment(event.aggregateId!);
        shipment.ship(`T-${event.aggregateId}`);
        processing.collectEvents(shipment);
      });
    }
  }
  const system = new System({ pipes: [[Orders, Shipping]] });

  it('checks what a downstream application stored during the commands, not the given history', async () => {
    await systemScenario(system)
      .given(Orders, placedBefore)
      .when((runner) => runner.get(Orders).place('o-2'))
      .then(Shipping, TestOrderShipped.create({ trackingNumber: 'T-o-2' }));
  });

  it('fails with a readable diff', async () => {
    const failure = await failureOf(systemScenario(system, { runner: 'concurrent' }).when((runner) => runner.get(Orders).place('o-3')).then(Shipping));
    expect(failure.message).toContain('System scenario, events stored by Shipping: the events differ at #1: expected no more events, got TestOrderShipped {"trackingNumber":"T-o-3"}');
  });

  it('checks the state and expected errors', async () => {
    await systemScenario(system)
      .when((runner) => runner.get(Orders).place('o-4'))
      .shouldHaveState(async (runner) => (await runner.get(Shipping).store.getStreamVersion('TestShipment-o-4')) === 1);
    await systemScenario(system)
      .given(Orders, placedBefore)
      .when((runner) => runner.get(Orders).place('o-1'))
      .thenThrows('CONCURRENCY_CONFLICT');
    const failure = await failureOf(systemScenario(system).when((runner) => runner.get(Orders).place('o-5')).shouldHaveState(() => false));
    expect(failure.message).toContain('Orders stored:\n  1. TestOrderPlaced');
    expect(failure.message).toContain('Shipping stored:\n  1. TestOrderShipped {"trackingNumber":"T-o-5"}');
  });
});
