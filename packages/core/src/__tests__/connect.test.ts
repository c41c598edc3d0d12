import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { BoundedIdSet, connect, defineEvent, EventRegistry, InMemoryEventBus, isEventwireError, type AnyEvent, type BatchOutcome, type IncomingBatch, type Transport } from '@eventwire/core';

const Ping = defineEvent('ConnectPing', z.object({ n: z.number() }));

/** A transport whose two sides are driven by the test itself. */
function manualTransport(): { transport: Transport; sent: AnyEvent[][]; deliver(payloads: unknown[]): Promise<BatchOutcome> } {
  const sent: AnyEvent[][] = [];
  let receiver: ((batch: IncomingBatch) => Promise<BatchOutcome>) | undefined;
  const transport: Transport = {
    name: 'manual',
    send: async (events) => void sent.push([...events]),
    receive: (handler) => {
      receiver = handler;
      return () => (receiver = undefined);
    },
    close: async () => {},
  };
  return { transport, sent, deliver: (payloads) => receiver!({ payloads }) };
}

describe('BoundedIdSet', () => {
  it('remembers at most its capacity, forgetting the oldest first', () => {
    const ids = new BoundedIdSet(3);
    expect(['a', 'b', 'c', 'a'].map((id) => ids.add(id))).toEqual([true, true, true, false]);
    expect(ids.add('d')).toBe(true);
    expect([ids.has('a'), ids.has('b'), ids.has('d'), ids.size]).toEqual([false, true, true, 3]);
    expect(ids.delete('b')).toBe(true);
    expect(ids.add('b')).toBe(true);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new BoundedIdSet(0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('connect', () => {
  it('requires a registry, because every incoming payload is decoded', () => {
    const bus = new InMemoryEventBus();
    let error: unknown;
    try {
      connect(bus, manualTransport().transport, {} as never);
    } catch (thrown) {
      error = thrown;
    }
    expect(isEventwireError(error, 'INVALID_ARGUMENT')).toBe(true);
  });

  it('sends awaited one-by-one publishes without holding them back, and a sync burst as one batch', async () => {
    const bus = new InMemoryEventBus();
    const { transport, sent } = manualTransport();
    const connection = connect(bus, transport, { registry: new EventRegistry([Ping]) });
    await bus.publish(Ping.create({ n: 1 }));
    await connection.flush();
    expect(sent).toHaveLength(1);
    bus.publishSync([Ping.create({ n: 2 }), Ping.create({ n: 3 })]);
    bus.publishSync(Ping.create({ n: 4 }));
    await connection.flush();
    expect(sent.map((batch) => batch.map((event) => (event.data as { n: number }).n))).toEqual([[1], [2, 3, 4]]);
    expect(connection.stats).toMatchObject({ sent: 4, sentBatches: 2 });
  });

  it('splits a burst larger than maxBatchSize, keeping order', async () => {
    const bus = new InMemoryEventBus();
    const { transport, sent } = manualTransport();
    const connection = connect(bus, transport, { registry: new EventRegistry([Ping]), maxBatchSize: 4 });
    bus.publishSync(Array.from({ length: 10 }, (_, n) => Ping.create({ n })));
    await connection.flush();
    expect(sent.map((batch) => batch.length)).toEqual([4, 4, 2]);
    expect(sent.flat().map((event) => (event.data as { n: number }).n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('collects events published while a slow send is in flight into the next batch, in order', async () => {
    const bus = new InMemoryEventBus();
    const sent: number[][] = [];
    let release: () => void = () => {};
    const transport: Transport = {
      ...manualTransport().transport,
      send: (events) => {
        sent.push(events.map((event) => (event.data as { n: number }).n));
        return new Promise<void>((resolve) => (release = resolve));
      },
    };
    const connection = connect(bus, transport, { registry: new EventRegistry([Ping]) });
    bus.publishSync(Ping.create({ n: 1 }));
    await Promise.resolve();
    expect(sent).toEqual([[1]]);
    for (let n = 2; n <= 5; n++) bus.publishSync(Ping.create({ n }));
    release();
    await vi.waitFor(() => expect(sent).toEqual([[1], [2, 3, 4, 5]]));
    release();
    bus.publishSync(Ping.create({ n: 6 }));
    await vi.waitFor(() => expect(sent).toEqual([[1], [2, 3, 4, 5], [6]]));
    release();
    await connection.flush();
    expect(connection.stats).toMatchObject({ sent: 6, sentBatches: 3 });
  });

  it('marks incoming events with the transport as their source, and never sends them back', async () => {
    const bus = new InMemoryEventBus();
    const sources: string[] = [];
    bus.inspect((record) => record.type === 'published' && sources.push(record.source));
    const { transport, sent, deliver } = manualTransport();
    const connection = connect(bus, transport, { registry: new EventRegistry([Ping]) });
    const outcome = await deliver([Ping.create({ n: 1 }), { not: 'an event' }]);
    await connection.flush();
    expect(outcome.handled).toEqual([0]);
    expect(outcome.rejected.map((problem) => problem.index)).toEqual([1]);
    expect(sources).toEqual(['manual']);
    expect(sent).toEqual([]);
  });

  it('reports each peer once, when its first batch arrives', async () => {
    const bus = new InMemoryEventBus();
    const peers: string[] = [];
    bus.inspect((record) => record.type === 'peer' && peers.push(`${record.peer.id}:${record.status}`));
    let receiver: ((batch: IncomingBatch) => Promise<BatchOutcome>) | undefined;
    const transport: Transport = { ...manualTransport().transport, receive: (handler) => ((receiver = handler), () => {}) };
    connect(bus, transport, { registry: new EventRegistry([Ping]) });
    const from = { id: 'tab-2', kind: 'tab' };
    await receiver!({ payloads: [Ping.create({ n: 1 })], from });
    await receiver!({ payloads: [Ping.create({ n: 2 })], from });
    await receiver!({ payloads: [Ping.create({ n: 3 })], from: { id: 'worker-1', kind: 'worker' } });
    expect(peers).toEqual(['tab-2:joined', 'worker-1:joined']);
  });

  it('rejects a batch whose payloads are not a list, without throwing', async () => {
    const bus = new InMemoryEventBus();
    const { transport, deliver } = manualTransport();
    const connection = connect(bus, transport, { registry: new EventRegistry([Ping]) });
    const outcome = await (deliver as unknown as (batch: unknown) => Promise<BatchOutcome>)(undefined);
    expect(outcome.rejected).toHaveLength(1);
    expect(connection.stats.rejected).toBe(1);
  });

  it('counts a failing transport instead of throwing into the bus', async () => {
    const bus = new InMemoryEventBus();
    const failures: unknown[] = [];
    const transport: Transport = { ...manualTransport().transport, send: () => Promise.reject(new Error('link down')) };
    const connection = connect(bus, transport, { registry: new EventRegistry([Ping]), onSendError: (error) => failures.push(error) });
    await bus.publish(Ping.create({ n: 1 }));
    await connection.flush();
    expect(connection.stats.sendErrors).toBe(1);
    expect(failures).toHaveLength(1);
  });
});
