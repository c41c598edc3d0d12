import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AggregateRepository,
  AggregateRoot,
  ConcurrencyError,
  defineEvent,
  InMemoryEventBus,
  InMemoryEventStore,
  isEventwireError,
  type AnyEvent,
  type EventStore,
} from '@eventwire/core';

const Deposited = defineEvent('Deposited', z.object({ amount: z.number() }), { aggregateType: 'Account' });

class Account extends AggregateRoot<{ balance: number }> {
  readonly aggregateType = 'Account';
  protected getInitialState() {
    return { balance: 0 };
  }
  protected apply(state: { balance: number }, event: AnyEvent) {
    return Deposited.is(event) ? { balance: state.balance + event.data.amount } : state;
  }
  deposit(amount: number): void {
    this.applyEvent(Deposited.create({ amount }, this.nextEnvelope()));
  }
}

function setup(eventStore: EventStore = new InMemoryEventStore()) {
  const bus = new InMemoryEventBus();
  const published: AnyEvent[] = [];
  bus.subscribeToAllEvents((event) => void published.push(event));
  const repo = new AggregateRepository({ eventStore, aggregateFactory: Account, aggregateType: 'Account', eventPublisher: bus });
  return { bus, published, repo, eventStore };
}

describe('AggregateRoot and AggregateRepository', () => {
  it('saves new events with versions, reloads the state, and publishes after the append', async () => {
    const { repo, published, eventStore } = setup();
    const account = repo.createNew('a-1');
    account.deposit(10);
    account.deposit(5);
    expect(account.version).toBe(2);
    expect(account.uncommittedEvents.map((event) => event.aggregateVersion)).toEqual([1, 2]);
    await repo.save(account);
    expect(account.uncommittedEvents).toEqual([]);
    expect(published).toHaveLength(2);
    const stored = await eventStore.readStream('Account-a-1');
    expect(stored.map((record) => record.version)).toEqual([1, 2]);
    const loaded = await repo.load('a-1');
    expect(loaded.state).toEqual({ balance: 15 });
    expect(loaded.version).toBe(2);
    expect(await repo.exists('a-1')).toBe(true);
  });

  it('load of an unknown aggregate throws AGGREGATE_NOT_FOUND; tryLoad gives undefined', async () => {
    const { repo } = setup();
    await expect(repo.load('missing')).rejects.toSatisfy((error: unknown) => isEventwireError(error, 'AGGREGATE_NOT_FOUND'));
    expect(await repo.tryLoad('missing')).toBeUndefined();
  });

  it('a concurrent save fails with ConcurrencyError and publishes nothing', async () => {
    const { repo, published } = setup();
    const first = repo.createNew('a-2');
    first.deposit(1);
    await repo.save(first);
    const one = await repo.load('a-2');
    const two = await repo.load('a-2');
    one.deposit(1);
    two.deposit(2);
    await repo.save(one);
    await expect(repo.save(two)).rejects.toBeInstanceOf(ConcurrencyError);
    expect(published).toHaveLength(2);
  });

  it('never publishes when the append fails', async () => {
    const failing: EventStore = Object.assign(new InMemoryEventStore(), {
      append: async () => {
        throw new Error('disk full');
      },
    });
    const { repo, published } = setup(failing);
    const account = repo.createNew('a-3');
    account.deposit(1);
    await expect(repo.save(account)).rejects.toThrow('disk full');
    expect(published).toEqual([]);
    expect(account.uncommittedEvents).toHaveLength(1);
  });
});
