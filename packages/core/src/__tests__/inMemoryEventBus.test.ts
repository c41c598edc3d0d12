import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineEvent, InMemoryEventBus, type HandlerFailure } from '@eventwire/core';

const Tick = defineEvent('Tick', z.object({ n: z.number() }), { aggregateType: 'Clock' });

describe('InMemoryEventBus', () => {
  afterEach(() => vi.restoreAllMocks());

  it('sync handlers allocate no promise in publishSync, and one per publish (not per handler) in publish', async () => {
    const bus = new InMemoryEventBus();
    for (let i = 0; i < 10; i++) bus.subscribe(Tick, () => {});
    const event = Tick.create({ n: 1 });
    const counts = { then: 0, resolve: 0, all: 0 };
    const original = { then: Promise.prototype.then, resolve: Promise.resolve, all: Promise.all };
    // Counted by hand: a vi.spyOn on Promise.prototype.then recurses into the spy's own promises.
    Promise.prototype.then = function (this: Promise<unknown>, ...args: Parameters<Promise<unknown>['then']>) {
      counts.then++;
      return original.then.apply(this, args);
    } as typeof Promise.prototype.then;
    Promise.resolve = function (this: PromiseConstructor, ...args: [unknown?]) {
      counts.resolve++;
      return original.resolve.apply(this, args as [unknown]);
    } as typeof Promise.resolve;
    Promise.all = function (this: PromiseConstructor, ...args: [readonly unknown[]]) {
      counts.all++;
      return original.all.apply(this, args);
    } as typeof Promise.all;
    let afterSync: typeof counts;
    let publishing: Promise<unknown>;
    try {
      bus.publishSync(event);
      afterSync = { ...counts };
      publishing = bus.publish(event);
    } finally {
      Object.assign(Promise.prototype, { then: original.then });
      Object.assign(Promise, { resolve: original.resolve, all: original.all });
    }
    expect(afterSync).toEqual({ then: 0, resolve: 0, all: 0 });
    expect(counts).toEqual({ then: 0, resolve: 1, all: 0 });
    await publishing;
  });

  it('passes every failure to onHandlerError and the dead-letter sink', async () => {
    const reported: HandlerFailure[] = [];
    const deadLetters: HandlerFailure[] = [];
    const bus = new InMemoryEventBus({ onHandlerError: (failure) => void reported.push(failure), deadLetterSink: (failure) => void deadLetters.push(failure) });
    bus.subscribe(Tick, function flaky() {
      throw new Error('flaky');
    });
    const event = Tick.create({ n: 1 });
    await bus.publish(event);
    bus.publishSync(event);
    expect(reported.map((failure) => [failure.handlerName, failure.event.id])).toEqual([
      ['flaky', event.id],
      ['flaky', event.id],
    ]);
    expect(deadLetters).toEqual(reported);
  });

  it('logs failures with console.error when no onHandlerError is given, as the tutorial logs them', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const bus = new InMemoryEventBus();
    bus.subscribe(Tick, () => {
      throw new Error('logged');
    });
    await bus.publish(Tick.create({ n: 1 }));
    expect(error).toHaveBeenCalledOnce();
    expect(String(error.mock.calls[0]?.[0])).toContain('Tick');
  });

  it('a throwing onHandlerError does not stop delivery', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const bus = new InMemoryEventBus({
      onHandlerError: () => {
        throw new Error('reporter broke');
      },
    });
    let reached = 0;
    bus.subscribe(Tick, () => {
      throw new Error('x');
    });
    bus.subscribe(Tick, () => void reached++);
    await bus.publish(Tick.create({ n: 1 }));
    expect(reached).toBe(1);
  });

  it('reads no clock while no inspector is attached (inspection is free when unused)', async () => {
    const clock = { now: vi.fn(() => 0), wallTime: vi.fn(() => 0) };
    const bus = new InMemoryEventBus({ clock });
    bus.subscribe(Tick, () => {});
    bus.subscribe(Tick, async () => {});
    await bus.publish([Tick.create({ n: 1 }), Tick.create({ n: 2 })]);
    expect(clock.now).not.toHaveBeenCalled();
    expect(clock.wallTime).not.toHaveBeenCalled();
    const stop = bus.inspect(() => {});
    await bus.publish(Tick.create({ n: 3 }));
    expect(clock.now).toHaveBeenCalled();
    stop();
    await bus.shutdown();
  });

  it('measures each delivery with the injected clock', async () => {
    let t = 0;
    const bus = new InMemoryEventBus({ clock: { now: () => t, wallTime: () => 1000 } });
    bus.subscribe(Tick, () => {
      t += 7;
    });
    const durations: (number | undefined)[] = [];
    bus.inspect((record) => {
      if (record.type === 'delivered') durations.push(record.durationMs);
    });
    await bus.publish(Tick.create({ n: 1 }));
    expect(durations).toEqual([7]);
  });

  it('with timeOneIn, times one dispatch in that many and reads no clock for the others', async () => {
    let t = 0;
    const clock = { now: vi.fn(() => t), wallTime: vi.fn(() => 1000 + t) };
    const bus = new InMemoryEventBus({ clock, onHandlerError: () => {} });
    bus.subscribe(Tick, () => {
      t += 3;
    });
    bus.subscribe(Tick, async () => {
      t += 2;
    });
    bus.subscribe(Tick, (event) => {
      if (event.data.n % 2 === 1) throw new Error('odd');
    });
    const records: { type: string; n: number; durationMs: number | undefined; time: number }[] = [];
    const ticks = new Map<string, number>();
    bus.inspect(
      (record) => {
        if (record.type === 'published') ticks.set(record.event.id, (record.event as ReturnType<typeof Tick.create>).data.n);
        if (record.type === 'delivered' || record.type === 'failed') records.push({ type: record.type, n: ticks.get(record.eventId)!, durationMs: record.durationMs, time: record.time });
      },
      { timeOneIn: 4 },
    );
    for (let n = 0; n < 8; n++) await bus.publish(Tick.create({ n }));
    // Every delivery is reported, with its outcome; only dispatches 1 and 5 (one in 4) are timed.
    expect(records.filter((record) => record.type === 'failed').map((record) => record.n)).toEqual([1, 3, 5, 7]);
    expect(records).toHaveLength(24);
    const timed = [...new Set(records.filter((record) => record.durationMs !== undefined).map((record) => record.n))];
    expect(timed).toEqual([0, 4]);
    expect(records.filter((record) => record.n === 0).map((record) => record.durationMs)).toEqual([3, 0, 2]);
    // Untimed dispatches read no clock: 4 monotonic reads per timed dispatch of three handlers (+1 when the async one settles).
    expect(clock.now).toHaveBeenCalledTimes(2 * 5);
    // Every record has a wall time, read at most once per timed dispatch and once per task otherwise.
    expect(records.every((record) => record.time >= 1000)).toBe(true);
  });

  it('times every dispatch while any inspector asks for it, and samples again when it leaves', async () => {
    const bus = new InMemoryEventBus();
    bus.subscribe(Tick, () => {});
    const durations: (number | undefined)[] = [];
    bus.inspect((record) => void (record.type === 'delivered' && durations.push(record.durationMs)), { timeOneIn: 100 });
    const stopEvery = bus.inspect(() => {});
    for (let n = 0; n < 3; n++) await bus.publish(Tick.create({ n }));
    expect(durations.every((duration) => typeof duration === 'number')).toBe(true);
    stopEvery();
    durations.length = 0;
    for (let n = 0; n < 3; n++) await bus.publish(Tick.create({ n }));
    // The next dispatch is timed (the count starts over at one in 100), the two after it are not.
    expect(durations.map((duration) => typeof duration)).toEqual(['number', 'undefined', 'undefined']);
  });

  it('names handlers for the devtools: function name, class name, or the name option', () => {
    const bus = new InMemoryEventBus();
    class AuditLogger {
      handle(): void {}
    }
    bus.subscribe(Tick, function onTick() {});
    bus.subscribe(Tick, new AuditLogger());
    bus.subscribe(Tick, () => {}, { name: 'custom' });
    bus.subscribeToAllEvents({ handle() {} });
    expect(bus.getSubscriptions().map((subscription) => subscription.handlerName)).toEqual(['onTick', 'AuditLogger', 'custom', 'handler']);
  });

  it('keeps its statistics across subscription changes and clearSubscribers', async () => {
    const bus = new InMemoryEventBus();
    bus.subscribe(Tick, () => {});
    await bus.publish(Tick.create({ n: 1 }));
    const unsubscribe = bus.subscribe('Clock.*', () => {});
    bus.publishSync([Tick.create({ n: 2 }), Tick.create({ n: 3 })]);
    unsubscribe();
    await bus.publish(Tick.create({ n: 4 }));
    bus.clearSubscribers();
    await bus.publish(Tick.create({ n: 5 }));
    expect(bus.getStats()).toMatchObject({ eventsPublished: 5, handlersInvoked: 1 + 2 * 2 + 1 });
  });

  it("treats '*' as a wildcard subscription", async () => {
    const bus = new InMemoryEventBus();
    const seen: string[] = [];
    const handler = (event: { type: string }): void => void seen.push(event.type);
    bus.subscribe('*', handler);
    await bus.publish(Tick.create({ n: 1 }));
    expect(seen).toEqual(['Tick']);
    expect(bus.getWildcardSubscriberCount()).toBe(1);
    expect(bus.unsubscribe('*', handler)).toBe(true);
  });

  it('calls handlers in subscription order across exact, pattern and wildcard subscriptions', async () => {
    const bus = new InMemoryEventBus();
    const log: string[] = [];
    bus.subscribeToAllEvents(() => void log.push('wildcard'));
    bus.subscribe('Clock.*', () => void log.push('pattern'));
    bus.subscribe(Tick, () => void log.push('exact'));
    await bus.publish(Tick.create({ n: 1 }));
    expect(log).toEqual(['wildcard', 'pattern', 'exact']);
  });

  it('with a pattern subscription, routes one type name by its aggregate type, and counts every dispatch once', () => {
    const bus = new InMemoryEventBus();
    const log: string[] = [];
    bus.subscribe('Order.*', (event) => void log.push(`order:${event.aggregateId ?? '-'}`));
    bus.subscribe('Placed', (event) => void log.push(`placed:${event.aggregateId ?? '-'}`));
    // One type name under two aggregate types and none: three routes, each cached apart.
    const placed = (aggregateType: string | undefined, aggregateId: string) => ({ id: `${aggregateType}-${aggregateId}`, type: 'Placed', data: null, occurredAt: '2026-01-01T00:00:00.000Z', aggregateId, ...(aggregateType === undefined ? {} : { aggregateType }) });
    for (let round = 0; round < 2; round++) {
      bus.publishSync(placed('Order', `o${round}`));
      bus.publishSync(placed('Cart', `c${round}`));
      bus.publishSync(placed(undefined, `n${round}`));
    }
    expect(log).toEqual(['order:o0', 'placed:o0', 'placed:c0', 'placed:n0', 'order:o1', 'placed:o1', 'placed:c1', 'placed:n1']);
    expect(bus.getStats()).toMatchObject({ eventsPublished: 6, handlersInvoked: 8 });
    // A change of subscriptions starts new caches; the counts so far are kept, and new routes see it.
    bus.subscribe('Cart.*', (event) => void log.push(`cart:${event.aggregateId ?? '-'}`));
    bus.publishSync(placed('Cart', 'c2'));
    expect(log.slice(8)).toEqual(['placed:c2', 'cart:c2']);
    expect(bus.getStats()).toMatchObject({ eventsPublished: 7, handlersInvoked: 10 });
  });
});
