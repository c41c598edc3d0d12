import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineEvent, EventwireError, InMemoryEventBus, type InspectionRecord, type UnrecordedRecord } from '@eventwire/core';

const Tick = defineEvent('Tick', z.object({ n: z.number() }), { aggregateType: 'Clock' });
const Tock = defineEvent('Tock', z.object({ n: z.number() }));

const ofType = <T extends InspectionRecord['type']>(records: InspectionRecord[], type: T) => records.filter((record): record is Extract<InspectionRecord, { type: T }> => record.type === type);

describe('bus.inspect with a budget', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('inspects the first dispatches of a period, runs the rest uninspected, and counts them per subscription when the period ends', async () => {
    const bus = new InMemoryEventBus({ name: 'budget', onHandlerError: () => {} });
    const seen: number[] = [];
    const tick = bus.subscribe(Tick, (event) => void seen.push(event.data.n));
    const fails = bus.subscribe(Tick, (event) => {
      if (event.data.n % 2 === 0) throw new Error('even');
    });
    const all = bus.subscribeToAllEvents(() => {});
    void [tick, fails, all];
    const [tickId, failsId, allId] = bus.getSubscriptions().map((subscription) => subscription.id);
    const records: InspectionRecord[] = [];
    bus.inspect((record) => records.push(record), { summarize: true, budget: { dispatches: 3, periodMs: 100 } });

    for (let n = 1; n <= 10; n++) bus.publishSync(Tick.create({ n }));
    bus.publishSync(Tock.create({ n: 11 }));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // every handler ran
    expect(ofType(records, 'dispatched').map((record) => record.event.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(ofType(records, 'unrecorded')).toEqual([]); // until the period ends

    vi.advanceTimersByTime(100);
    const [unrecorded] = ofType(records, 'unrecorded');
    expect(unrecorded).toMatchObject({ busId: bus.id, events: 8, deadLetters: 0 });
    // Ticks 4..10 went to all three handlers (4, 6, 8, 10 failed); the Tock to the wildcard only.
    expect(unrecorded!.deliveries).toEqual({ [tickId!]: [7, 0], [failsId!]: [7, 4], [allId!]: [8, 0] });
    expect(bus.getStats()).toMatchObject({ eventsPublished: 11, handlerErrors: 5 });

    // A new period: inspected again.
    records.length = 0;
    bus.publishSync(Tick.create({ n: 12 }));
    expect(ofType(records, 'dispatched')).toHaveLength(1);
  });

  it('counts the rejections of uninspected async handlers, also after their period; inspected ones keep their delivered / failed records', async () => {
    const bus = new InMemoryEventBus({ name: 'budget', onHandlerError: () => {} });
    const gates: Array<() => void> = [];
    bus.subscribe(Tick, (event) => new Promise<void>((resolve, reject) => gates.push(() => (event.data.n === 1 ? resolve() : reject(new Error('late'))))));
    const [asyncId] = bus.getSubscriptions().map((subscription) => subscription.id);
    const records: InspectionRecord[] = [];
    bus.inspect((record) => records.push(record), { summarize: true, budget: { dispatches: 1, periodMs: 50 } });
    bus.publishSync(Tick.create({ n: 1 })); // inspected
    bus.publishSync(Tick.create({ n: 2 })); // not
    vi.advanceTimersByTime(50);
    expect(ofType(records, 'unrecorded')[0]!.deliveries).toEqual({ [asyncId!]: [1, 0] });

    for (const open of gates) open();
    await vi.advanceTimersByTimeAsync(50);
    expect(ofType(records, 'delivered').map((record) => record.subscriptionId)).toEqual([asyncId]); // the inspected one settled
    const late = ofType(records, 'unrecorded')[1];
    expect(late).toMatchObject({ events: 0, deliveries: { [asyncId!]: [0, 1] } }); // the uninspected one rejected after its period
  });

  it('counts the dead letters reported while its budget is spent instead of sending them', () => {
    const bus = new InMemoryEventBus({
      name: 'budget',
      onHandlerError: () => {},
      deadLetterSink: (failure) => bus.report({ type: 'dead-lettered', eventId: failure.event.id, consumer: failure.handlerName, attempts: 1, error: { name: 'Error', message: 'x' } }),
    });
    bus.subscribe(Tick, function inventory() {
      throw new Error('no stock');
    });
    const records: InspectionRecord[] = [];
    bus.inspect((record) => records.push(record), { summarize: true, budget: { dispatches: 2, periodMs: 100 } });
    for (let n = 1; n <= 5; n++) bus.publishSync(Tick.create({ n }));
    bus.report({ type: 'leader', election: 'tabs', isLeader: true }); // not about one event: sent
    vi.advanceTimersByTime(100);
    expect(ofType(records, 'dead-lettered')).toHaveLength(2);
    expect(ofType(records, 'leader')).toHaveLength(1);
    expect(ofType(records, 'unrecorded')[0]).toMatchObject({ events: 3, deadLetters: 3 });
  });

  it('sends what it counted before the subscriptions change (the routes that counted are replaced)', () => {
    const bus = new InMemoryEventBus({ name: 'budget' });
    bus.subscribe(Tick, function first() {});
    const records: InspectionRecord[] = [];
    bus.inspect((record) => records.push(record), { summarize: true, budget: { dispatches: 1, periodMs: 100 } });
    for (let n = 1; n <= 4; n++) bus.publishSync(Tick.create({ n }));
    const stop = bus.subscribe(Tock, function second() {});
    expect(ofType(records, 'unrecorded')).toMatchObject([{ events: 3 }]);
    bus.publishSync(Tock.create({ n: 5 })); // a new period: inspected
    expect(ofType(records, 'dispatched').map((record) => record.event.type)).toEqual(['Tick', 'Tock']);
    bus.publishSync(Tock.create({ n: 6 }));
    stop();
    expect(ofType(records, 'unrecorded')).toMatchObject([{ events: 3 }, { events: 1 }]);
  });

  it('applies while every inspector has one (the largest), sends what it counted when the inspectors change, and refuses a bad budget', () => {
    const bus = new InMemoryEventBus({ name: 'budget' });
    bus.subscribe(Tick, () => {});
    const small: InspectionRecord[] = [];
    const large: InspectionRecord[] = [];
    const stopSmall = bus.inspect((record) => small.push(record), { summarize: true, budget: { dispatches: 1, periodMs: 100 } });
    const stopLarge = bus.inspect((record) => large.push(record), { summarize: true, budget: { dispatches: 3, periodMs: 100 } });
    for (let n = 1; n <= 5; n++) bus.publishSync(Tick.create({ n }));
    expect(ofType(large, 'dispatched')).toHaveLength(3);
    stopLarge(); // the period ends: its counts go out, then the smaller budget applies
    expect(ofType(large, 'unrecorded')[0]).toMatchObject({ events: 2 });
    expect(ofType(small, 'unrecorded')[0]).toMatchObject({ events: 2 });

    const all: InspectionRecord[] = [];
    const stopAll = bus.inspect((record) => all.push(record)); // no budget: every dispatch inspected
    for (let n = 6; n <= 10; n++) bus.publishSync(Tick.create({ n }));
    expect(ofType(all, 'published')).toHaveLength(5);
    stopAll();
    stopSmall();

    for (const budget of [{ dispatches: 0, periodMs: 100 }, { dispatches: 10, periodMs: 0 }, { dispatches: Number.NaN, periodMs: 10 }]) {
      expect(() => bus.inspect(() => {}, { budget })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as EventwireError);
    }
    bus.publishSync(Tick.create({ n: 11 })); // the bus still works
    expect(bus.getStats().eventsPublished).toBe(11);
  });

  it('with an infinite budget, inspects every dispatch and never sends an unrecorded record', () => {
    const bus = new InMemoryEventBus({ name: 'budget' });
    bus.subscribe(Tick, () => {});
    const records: InspectionRecord[] = [];
    bus.inspect((record) => records.push(record), { summarize: true, budget: { dispatches: Infinity, periodMs: 100 } });
    for (let n = 1; n <= 50; n++) bus.publishSync(Tick.create({ n }));
    vi.advanceTimersByTime(1000);
    expect(ofType(records, 'dispatched')).toHaveLength(50);
    expect(records.some((record): record is UnrecordedRecord => record.type === 'unrecorded')).toBe(false);
  });
});
