import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, EventProcessor, handles, InMemoryEventBus, isEventwireError, markHandler, type EventOf } from '@eventwire/core';

const MoneyDeposited = defineEvent('MoneyDeposited', z.object({ account: z.string(), amount: z.number() }), { aggregateType: 'Account' });
const MoneyWithdrawn = defineEvent('MoneyWithdrawn', z.object({ account: z.string(), amount: z.number() }), { aggregateType: 'Account' });
const AccountClosed = defineEvent('AccountClosed', z.object({ account: z.string() }), { aggregateType: 'Account' });

class Balances extends EventProcessor {
  readonly balances = new Map<string, number>();
  readonly log: string[] = [];

  @handles(MoneyDeposited)
  onDeposited(event: EventOf<typeof MoneyDeposited>) {
    this.#add(event.data.account, event.data.amount);
  }

  @handles(MoneyWithdrawn)
  async onWithdrawn(event: EventOf<typeof MoneyWithdrawn>) {
    await Promise.resolve();
    this.#add(event.data.account, -event.data.amount);
  }

  @handles(MoneyDeposited, MoneyWithdrawn)
  onAnyMovement(event: EventOf<typeof MoneyDeposited> | EventOf<typeof MoneyWithdrawn>) {
    this.log.push(event.type);
  }

  #add(account: string, amount: number) {
    this.balances.set(account, (this.balances.get(account) ?? 0) + amount);
  }
}

describe('EventProcessor with @handles (standard decorators)', () => {
  it('discovers one handler per decorated method and runs them in declaration order', async () => {
    const balances = new Balances();
    expect(balances.subscribedTo.map((t) => t.type).sort()).toEqual(['MoneyDeposited', 'MoneyWithdrawn']);
    expect(balances.handle(MoneyDeposited.create({ account: 'a', amount: 10 }))).toBeUndefined(); // sync: no promise
    await balances.handle(MoneyWithdrawn.create({ account: 'a', amount: 3 }));
    expect(balances.balances.get('a')).toBe(7);
    expect(balances.log).toEqual(['MoneyDeposited', 'MoneyWithdrawn']);
    expect(balances.name).toBe('Balances');
  });

  it('ignores events it has no handler for', () => {
    const balances = new Balances();
    expect(balances.handles(AccountClosed.create({ account: 'a' }))).toBe(false);
    expect(balances.handle(AccountClosed.create({ account: 'a' }))).toBeUndefined();
    expect(balances.log).toEqual([]);
  });

  it('lets a subclass override a handler', () => {
    class Strict extends Balances {
      override onDeposited(event: EventOf<typeof MoneyDeposited>) {
        this.log.push(`strict:${event.data.amount}`);
      }
    }
    const strict = new Strict();
    strict.handle(MoneyDeposited.create({ account: 'a', amount: 5 }));
    // the override is not decorated, so it handles nothing; the inherited decorated one is shadowed
    expect(strict.balances.size).toBe(0);
    expect(strict.log).toEqual(['MoneyDeposited']);
  });

  it('runs on a bus through subscribeAll, and a failure fails publish in throw mode (synchronous delivery)', async () => {
    const bus = new InMemoryEventBus({ onHandlerError: () => {} });
    const balances = new Balances();
    bus.subscribeAll(balances);
    await bus.publish([MoneyDeposited.create({ account: 'b', amount: 2 }), MoneyWithdrawn.create({ account: 'b', amount: 1 })]);
    expect(balances.balances.get('b')).toBe(1);
    const failing = new EventProcessor({ name: 'failing' }).on(AccountClosed, () => {
      throw new Error('boom');
    });
    bus.subscribeAll(failing);
    const error = await bus.publish(AccountClosed.create({ account: 'b' }), { errors: 'throw' }).catch((e: unknown) => e);
    expect(isEventwireError(error, 'HANDLER_FAILED')).toBe(true);
  });

  it('rejects decorating with no event type, and a non-event type', () => {
    expect(() => handles(...([] as unknown as [typeof MoneyDeposited]))).toThrow(/at least one event type/);
    expect(() => handles({} as typeof MoneyDeposited)).toThrow(/defineEvent/);
  });
});

describe('EventProcessor without decorators', () => {
  it('takes handlers from this.on in the constructor', () => {
    class Totals extends EventProcessor {
      total = 0;
      constructor() {
        super({ name: 'totals' });
        this.on(MoneyDeposited, (event) => void (this.total += event.data.amount));
      }
    }
    const totals = new Totals();
    totals.handle(MoneyDeposited.create({ account: 'a', amount: 4 }));
    totals.handle(MoneyDeposited.create({ account: 'a', amount: 6 }));
    expect(totals.total).toBe(10);
    expect(totals.name).toBe('totals');
  });

  it('takes methods marked with markHandler', () => {
    class Closures extends EventProcessor {
      closed: string[] = [];
      onClosed(event: EventOf<typeof AccountClosed>) {
        this.closed.push(event.data.account);
      }
    }
    markHandler(Closures.prototype.onClosed, [AccountClosed]);
    const closures = new Closures();
    closures.handle(AccountClosed.create({ account: 'z' }));
    expect(closures.closed).toEqual(['z']);
  });

  it('stops the remaining handlers of an event when one fails, and reports the error', async () => {
    const seen: string[] = [];
    const processor = new EventProcessor()
      .on(MoneyDeposited, async () => {
        seen.push('first');
        throw new Error('first failed');
      })
      .on(MoneyDeposited, () => void seen.push('second'));
    await expect(processor.handle(MoneyDeposited.create({ account: 'a', amount: 1 }))).rejects.toThrow('first failed');
    expect(seen).toEqual(['first']);
  });
});

describe('@handles types', () => {
  it('refuses a method whose event parameter does not accept the handled type', () => {
    class Wrong extends EventProcessor {
      // @ts-expect-error: the handler takes AccountClosed events, not MoneyDeposited
      @handles(MoneyDeposited)
      onClosed(event: EventOf<typeof AccountClosed>) {
        return event.data.account;
      }
    }
    expect(new Wrong().subscribedTo.map((t) => t.type)).toEqual(['MoneyDeposited']);
  });
});
