import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, InMemoryEventBus, type DispatchedRecord, type InspectionRecord } from '@eventwire/core';

const Tick = defineEvent('Tick', z.object({ n: z.number() }), { aggregateType: 'Clock' });
const Tock = defineEvent('Tock', z.object({ n: z.number() }));

/** A bus whose clock moves 1 ms per `now()` read, and a wall clock at 1000. */
function testBus() {
  let t = 0;
  return new InMemoryEventBus({ name: 'summaries', onHandlerError: () => {}, clock: { now: () => ++t, wallTime: () => 1000 } });
}

const without = (records: InspectionRecord[], ...types: InspectionRecord['type'][]) => records.filter((record) => !types.includes(record.type));

describe('bus.inspect with summarize', () => {
  it('sends one dispatched record per dispatch: the subscriptions called, the failures, the pending promises; settled promises follow as delivered / failed', async () => {
    const bus = testBus();
    const ids = [
      bus.subscribe(Tick, function first() {}),
      bus.subscribe(Tick, function fails() {
        throw new Error('boom');
      }),
      bus.subscribe(Tick, async function later() {}),
      bus.subscribeToAllEvents(async function laterFails() {
        throw new Error('late');
      }),
    ];
    expect(ids).toHaveLength(4);
    const records: InspectionRecord[] = [];
    bus.inspect((record) => records.push(record), { summarize: true, timeOneIn: 1000 });
    const event = Tick.create({ n: 1 });
    await bus.publish(event);

    const [dispatched, ...settled] = without(records, 'init');
    const subscriptionIds = bus.getSubscriptions().map((subscription) => subscription.id);
    expect(dispatched).toMatchObject({ type: 'dispatched', busId: bus.id, time: 1000, event, background: false, source: 'local', subscriptionIds, pending: [2, 3] });
    const { failures } = dispatched as DispatchedRecord;
    expect(failures).toHaveLength(1);
    expect(failures![0]).toMatchObject({ index: 1, error: { name: 'Error', message: 'boom' } });
    // The first dispatch is timed (then one in 1000): each handler took one tick of the test clock, a pending one until it returned its promise.
    expect((dispatched as DispatchedRecord).durationsMs).toEqual([1, 1, 1, 1]);
    expect(settled.map((record) => [record.type, 'subscriptionId' in record && record.subscriptionId])).toEqual([
      ['delivered', subscriptionIds[2]],
      ['failed', subscriptionIds[3]],
    ]);
    expect(bus.getStats()).toMatchObject({ eventsPublished: 1, handlersInvoked: 4, handlerErrors: 2 });
    records.length = 0;
    await bus.publish(Tick.create({ n: 2 }));
    expect((records[0] as DispatchedRecord).durationsMs).toBeUndefined(); // not timed
    expect(records.map((record) => record.type)).toEqual(['dispatched', 'delivered', 'failed']);
  });

  it('lists every handler duration on a timed dispatch, and shares one frozen id list per route until the subscriptions change', async () => {
    const bus = testBus();
    bus.subscribe(Tick, () => {});
    bus.subscribe(Tick, () => {});
    const dispatched: DispatchedRecord[] = [];
    bus.inspect((record) => void (record.type === 'dispatched' && dispatched.push(record)), { summarize: true });
    bus.publishSync(Tick.create({ n: 1 }));
    bus.publishSync(Tick.create({ n: 2 }));
    bus.subscribe(Tock, () => {});
    bus.publishSync(Tick.create({ n: 3 }));
    bus.publishSync(Tock.create({ n: 4 }));

    expect(dispatched.map((record) => record.durationsMs)).toEqual([[1, 1], [1, 1], [1, 1], [1]]);
    expect(dispatched[0]!.subscriptionIds).toBe(dispatched[1]!.subscriptionIds);
    expect(Object.isFrozen(dispatched[0]!.subscriptionIds)).toBe(true);
    expect(dispatched[2]!.subscriptionIds).not.toBe(dispatched[1]!.subscriptionIds); // a new route after subscribe
    expect(dispatched[2]!.subscriptionIds).toEqual(dispatched[1]!.subscriptionIds);
    expect(dispatched.every((record) => record.failures === undefined && record.pending === undefined)).toBe(true);
  });

  it('sends published / delivered / failed records to every inspector while one of them does not ask for summaries', async () => {
    const bus = testBus();
    bus.subscribe(Tick, function first() {});
    bus.subscribe(Tick, function fails() {
      throw new Error('boom');
    });
    bus.subscribe(Tick, async function later() {});
    const summarized: InspectionRecord[] = [];
    const plain: InspectionRecord[] = [];
    bus.inspect((record) => summarized.push(record), { summarize: true, timeOneIn: 1 });
    const stopPlain = bus.inspect((record) => plain.push(record), { timeOneIn: 1 });
    await bus.publish(Tick.create({ n: 1 }));
    expect(without(summarized, 'init').map((record) => record.type)).toEqual(['published', 'delivered', 'failed', 'delivered']);
    expect(without(plain, 'init')).toEqual(without(summarized, 'init'));
    stopPlain();
    summarized.length = 0;
    await bus.publish(Tick.create({ n: 2 }));
    expect(summarized.map((record) => record.type)).toEqual(['dispatched', 'delivered']);
  });

  it('times the first dispatch of each task of the event loop, and one in timeOneIn within a task', async () => {
    const bus = testBus();
    bus.subscribe(Tick, () => {});
    const timed: boolean[] = [];
    bus.inspect((record) => void (record.type === 'dispatched' && timed.push(record.durationsMs !== undefined)), { summarize: true, timeOneIn: 3 });
    const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
    await nextTask();
    for (let i = 0; i < 7; i++) await bus.publish(Tick.create({ n: i })); // one task: the first, then one in 3
    await nextTask();
    bus.publishSync(Tick.create({ n: 7 })); // a new task: timed
    await nextTask();
    bus.publishSync(Tick.create({ n: 8 }));
    expect(timed).toEqual([true, false, false, true, false, false, true, true, true]);
  });

  it('reports stores and transports as before, and stops summarizing when the inspector leaves', () => {
    const bus = testBus();
    bus.subscribe(Tick, () => {});
    const records: InspectionRecord[] = [];
    const stop = bus.inspect((record) => records.push(record), { summarize: true });
    bus.report({ type: 'checkpoint', projection: 'p', position: 1 });
    bus.publishSync(Tick.create({ n: 1 }));
    stop();
    const later: InspectionRecord[] = [];
    bus.inspect((record) => later.push(record));
    bus.publishSync(Tick.create({ n: 2 }));
    expect(without(records, 'init').map((record) => record.type)).toEqual(['checkpoint', 'dispatched']);
    expect(without(later, 'init').map((record) => record.type)).toEqual(['published', 'delivered']);
  });
});
