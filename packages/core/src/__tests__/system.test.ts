import {
  AggregateRoot,
  Application,
  AsynchronousDelivery,
  ConcurrentRunner,
  defineEvent,
  EventProcessor,
  handles,
  InMemoryEventBus,
  ProcessApplication,
  ProcessingEvent,
  SingleThreadedRunner,
  System,
  type AnyEvent,
  type EventOf,
  type InspectionRecord,
  type Runner,
} from '@eventwire/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const OrderPlaced = defineEvent('SysOrderPlaced', z.object({ amount: z.number() }), { aggregateType: 'SysOrder' });
const InvoiceIssued = defineEvent('SysInvoiceIssued', z.object({ orderId: z.string(), amount: z.number() }), { aggregateType: 'SysInvoice' });
const PaymentRequested = defineEvent('SysPaymentRequested', z.object({ invoiceId: z.string() }), { aggregateType: 'SysPayment' });

/** One aggregate class per stream kind, recording whatever it is told to. */
function recorder(type: string) {
  return class extends AggregateRoot<number> {
    readonly aggregateType = type;
    record(event: (envelope: ReturnType<AggregateRoot<number>['nextEnvelope']>) => AnyEvent) {
      this.applyEvent(event(this.nextEnvelope()));
    }
    protected getInitialState() {
      return 0;
    }
    protected apply(state: number) {
      return state + 1;
    }
  };
}
const Order = recorder('SysOrder');
const Invoice = recorder('SysInvoice');
const Payment = recorder('SysPayment');

class Orders extends Application {
  async place(orderId: string, amount: number) {
    const order = new Order(orderId);
    order.record((envelope) => OrderPlaced.create({ amount }, envelope));
    await this.save(order);
  }
}

/** Uses the decorator form of the policy. */
class Invoicing extends ProcessApplication {
  @handles(OrderPlaced)
  onOrderPlaced(event: EventOf<typeof OrderPlaced>, processing: ProcessingEvent) {
    const invoice = new Invoice(`inv-${event.aggregateId}`);
    invoice.record((envelope) => InvoiceIssued.create({ orderId: event.aggregateId!, amount: event.data.amount }, envelope));
    processing.collectEvents(invoice);
  }
}

/** Uses the decorator-free form. */
class Payments extends ProcessApplication {
  readonly requested: string[] = [];
  constructor(options?: ConstructorParameters<typeof ProcessApplication>[0]) {
    super(options);
    this.on(InvoiceIssued, (event, processing) => {
      const payment = new Payment(`pay-${event.aggregateId}`);
      payment.record((envelope) => PaymentRequested.create({ invoiceId: event.aggregateId! }, envelope));
      processing.collectEvents(payment);
    });
  }
}

const chain = new System({ pipes: [[Orders, Invoicing, Payments]] });

async function runChain(runner: Runner & { settled?: () => Promise<void> }) {
  await runner.start();
  await Promise.all([runner.get(Orders).place('o1', 10), runner.get(Orders).place('o2', 20)]);
  await runner.settled?.();
  const payments = await runner.get(Payments).store.readAll();
  await runner.stop();
  return payments.map((s) => [s.streamId, s.event.type, (s.event.data as { invoiceId: string }).invoiceId]).sort();
}

describe('System', () => {
  it('knows who follows whom', () => {
    expect(chain.names).toEqual(['Orders', 'Invoicing', 'Payments']);
    expect(chain.upstreamsOf('Payments')).toEqual(['Invoicing']);
    expect(chain.followersOf('Orders')).toEqual(['Invoicing']);
    expect(chain.nameOf(Invoicing)).toBe('Invoicing');
  });

  it('refuses a follower that is not a process application, an empty system and duplicate names', () => {
    expect(() => new System({ pipes: [[Orders, Orders as never]] })).toThrow(/ProcessApplication/);
    expect(() => new System({ pipes: [] })).toThrow(/non-empty/);
    const Twin = class Orders extends Application {};
    expect(() => new System({ pipes: [[Orders], [Twin]] })).toThrow(/two applications are named "Orders"/);
  });

  it('runs a three-step chain to the same result on both in-process runners', async () => {
    const expected = [
      ['SysPayment-pay-inv-o1', 'SysPaymentRequested', 'inv-o1'],
      ['SysPayment-pay-inv-o2', 'SysPaymentRequested', 'inv-o2'],
    ];
    expect(await runChain(new SingleThreadedRunner(chain))).toEqual(expected);
    expect(await runChain(new ConcurrentRunner(chain))).toEqual(expected);
  });

  it('lets one process application follow two upstreams, tracking each apart', async () => {
    class WebOrders extends Orders {
      static readonly applicationName = 'WebOrders';
    }
    const fanIn = new System({ pipes: [[Orders, Invoicing], [WebOrders, Invoicing]] });
    expect(fanIn.upstreamsOf('Invoicing')).toEqual(['Orders', 'WebOrders']);
    for (const runner of [new SingleThreadedRunner(fanIn), new ConcurrentRunner(fanIn)]) {
      await runner.start();
      await Promise.all([runner.get(Orders).place('shop-1', 1), runner.get(WebOrders).place('web-1', 2), runner.get(WebOrders).place('web-2', 3)]);
      await (runner as { settled?: () => Promise<void> }).settled?.();
      const invoicing = runner.get(Invoicing);
      expect([await invoicing.trackedPosition('Orders'), await invoicing.trackedPosition('WebOrders')]).toEqual([1, 2]);
      expect((await invoicing.store.readAll()).map((s) => s.streamId).sort()).toEqual(['SysInvoice-inv-shop-1', 'SysInvoice-inv-web-1', 'SysInvoice-inv-web-2']);
      await runner.stop();
    }
  });

  it('records the tracking of every upstream event, including those the policy ignores', async () => {
    const runner = new SingleThreadedRunner(chain);
    await runner.start();
    await runner.get(Orders).place('o1', 10);
    const invoicing = runner.get(Invoicing);
    expect(await invoicing.trackedPosition('Orders')).toBe(1);
    expect(await invoicing.store.getTrackedPosition('Invoicing', 'Orders')).toBe(1);
    expect(await runner.get(Payments).trackedPosition('Invoicing')).toBe(1);
    await runner.stop();
  });

  it('surfaces a failing policy: to the command on the single-threaded runner, as a stopped pipe on the concurrent one', async () => {
    class Broken extends ProcessApplication {
      @handles(OrderPlaced)
      onOrderPlaced() {
        throw new Error('policy broke');
      }
    }
    const system = new System({ pipes: [[Orders, Broken]] });
    const single = new SingleThreadedRunner(system);
    await single.start();
    await expect(single.get(Orders).place('o1', 1)).rejects.toThrow('policy broke');
    await single.stop();

    const errors: string[] = [];
    const concurrent = new ConcurrentRunner(system, { retry: undefined, onError: (error, edge) => errors.push(`${edge.follower}: ${(error as Error).message}`) });
    await concurrent.start();
    await concurrent.get(Orders).place('o1', 1); // the writer is not failed
    await expect(concurrent.settled()).rejects.toThrow('policy broke');
    expect(errors).toEqual(['Broken: policy broke']);
    expect(await concurrent.get(Broken).trackedPosition('Orders')).toBe(0); // never skipped
    await concurrent.stop();
  });

  it('reports each tracked position to the inspection stream, for the devtools', async () => {
    const bus = new InMemoryEventBus();
    const records: InspectionRecord[] = [];
    bus.inspect((record) => void records.push(record));
    const runner = new SingleThreadedRunner(chain, { options: () => ({ reporter: bus }) });
    await runner.start();
    await runner.get(Orders).place('o1', 10);
    const checkpoints = records.filter((r) => r.type === 'checkpoint').map((r) => r.type === 'checkpoint' && `${r.projection}@${r.position}`);
    expect(checkpoints).toEqual(['tracking:Invoicing<-Orders@1', 'tracking:Payments<-Invoicing@1']);
    await runner.stop();
  });

  it('starts the applications\' asynchronous processors with the system, and stops them with it', async () => {
    const seen: string[] = [];
    const audit = new EventProcessor({ name: 'audit' }).on(OrderPlaced, (event) => void seen.push(event.aggregateId!));
    const runner = new ConcurrentRunner(chain, { options: (name) => (name === 'Orders' ? { processors: [audit], delivery: new AsynchronousDelivery() } : {}) });
    await runner.start();
    await runner.get(Orders).place('o1', 10);
    await runner.get(Orders).processorsIdle();
    expect(seen).toEqual(['o1']);
    await runner.stop();
  });

  it('says clearly when get is called before start', () => {
    expect(() => new SingleThreadedRunner(chain).get(Orders)).toThrow(/start\(\) first/);
  });
});
