import * as Comlink from 'comlink';
import { defineEvent, EventRegistry, InMemoryEventBus, InMemoryEventStore, isConcurrencyError, isEventwireError, type AnyEvent, type StoredEvent } from '@eventwire/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createBusHost } from '../busHost.js';
import { createStoreHost } from '../storeHost.js';
import { wrapBus } from '../wrapBus.js';
import { wrapStore } from '../wrapStore.js';

const Noted = defineEvent('WorkerNoted', z.object({ text: z.string() }));
const registry = new EventRegistry([Noted]);
const ports: MessagePort[] = [];
afterEach(() => ports.splice(0).forEach((port) => port.close()));

/** A store (and a bus) served on one end of a MessageChannel, as `exposeBus({ store })` does in a worker. */
function served() {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const store = new InMemoryEventStore();
  Comlink.expose({ ...createBusHost(new InMemoryEventBus(), registry), store: createStoreHost(store, registry) }, port1);
  return { store, remote: wrapStore(port2, { registry }), bus: wrapBus(port2, { registry }) };
}

describe('wrapStore / exposeStore', () => {
  it('appends and reads through the worker, decoding what comes back', async () => {
    const { store, remote } = served();
    const first = Noted.create({ text: 'one' });
    const result = await remote.append('Note-1', [first, Noted.create({ text: 'two' })], { expectedVersion: 0 });
    expect(result.streamVersion).toBe(2);
    expect(await store.getStreamVersion('Note-1')).toBe(2);
    const read = await remote.readStream('Note-1');
    expect(read.map((stored) => (stored.event.data as { text: string }).text)).toEqual(['one', 'two']);
    expect(Object.isFrozen(read[0]!.event)).toBe(true);
    expect((await remote.readAll({ fromPosition: 2 })).map((stored) => stored.position)).toEqual([2]);
    expect(await remote.getLastPosition()).toBe(2);
  });

  it('keeps the code of a version conflict across the boundary', async () => {
    const { remote } = served();
    await remote.append('Note-1', [Noted.create({ text: 'one' })], { expectedVersion: 0 });
    const error: unknown = await remote.append('Note-1', [Noted.create({ text: 'late' })], { expectedVersion: 0 }).catch((thrown: unknown) => thrown);
    expect(isConcurrencyError(error)).toBe(true);
  });

  it('refuses forged events from the page with the decode error', async () => {
    const { store, remote } = served();
    const forged = { id: 'f', type: 'WorkerNoted', occurredAt: new Date().toISOString(), data: { text: 1 } } as unknown as AnyEvent;
    const error: unknown = await remote.append('Note-1', [forged]).catch((thrown: unknown) => thrown);
    expect(isEventwireError(error, 'SCHEMA_VALIDATION_FAILED')).toBe(true);
    expect(await store.getLastPosition()).toBe(0);
  });

  it('subscribes: catches up, then follows live, one event at a time', async () => {
    const { store, remote } = served();
    await store.append('Note-1', [Noted.create({ text: 'before' })]);
    const seen: string[] = [];
    const stop = remote.subscribe((stored: StoredEvent) => void seen.push((stored.event.data as { text: string }).text));
    await vi.waitFor(() => expect(seen).toEqual(['before']));
    await store.append('Note-1', [Noted.create({ text: 'after' })]);
    await vi.waitFor(() => expect(seen).toEqual(['before', 'after']));
    stop();
  });

  it('serves a bus and a store on one endpoint', async () => {
    const { bus, remote } = served();
    await bus.publish(Noted.create({ text: 'via bus' }));
    await remote.append('Note-1', [Noted.create({ text: 'via store' })]);
    expect(bus.getStats().eventsPublished).toBe(1);
    expect(await remote.getLastPosition()).toBe(1);
  });
});
