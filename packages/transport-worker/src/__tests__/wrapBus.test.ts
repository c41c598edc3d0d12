import * as Comlink from 'comlink';
import { defineEvent, EventRegistry, InMemoryEventBus, isEventwireError, type AnyEvent } from '@eventwire/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createBusHost } from '../busHost.js';
import { wrapBus, type WorkerEventBus } from '../wrapBus.js';

const Job = defineEvent('WorkerJob', z.object({ n: z.number() }), { aggregateType: 'Job' });
const registry = new EventRegistry([Job]);
const ports: MessagePort[] = [];
afterEach(() => ports.splice(0).forEach((port) => port.close()));

/** The worker's side on one end of a MessageChannel, the page's on the other: the same code as a Worker. */
function workerPair(timeoutMs?: number): { workerBus: InMemoryEventBus; pageBus: WorkerEventBus } {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const workerBus = new InMemoryEventBus({ name: 'worker', onHandlerError: () => {} });
  Comlink.expose(createBusHost(workerBus, registry), port1);
  const pageBus = wrapBus(port2, { registry, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  return { workerBus, pageBus };
}

describe('wrapBus / exposeBus', () => {
  it('publishes from the page to handlers in the worker, and the result comes back', async () => {
    const { workerBus, pageBus } = workerPair();
    const inWorker: number[] = [];
    workerBus.subscribe(Job, (event) => void inWorker.push(event.data.n));
    const result = await pageBus.publish([Job.create({ n: 1 }), Job.create({ n: 2 })]);
    expect(inWorker).toEqual([1, 2]);
    expect(result).toMatchObject({ eventsPublished: 2, handlersInvoked: 2, failures: [] });
    expect(pageBus.getStats().eventsPublished).toBe(2);
  });

  it('calls page handlers for events published in the worker, and the publish waits for them', async () => {
    const { workerBus, pageBus } = workerPair();
    const inPage: string[] = [];
    pageBus.subscribe('Job.*', async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      inPage.push(`${event.type}:${(event.data as { n: number }).n}`);
    });
    pageBus.subscribeToAllEvents(() => void inPage.push('all'));
    await pageBus.refresh('Job.*');
    expect(pageBus.getSubscriberCount('Job.*')).toBe(1);
    expect(pageBus.getWildcardSubscriberCount()).toBe(1);
    await workerBus.publish(Job.create({ n: 7 }));
    expect(inPage.sort()).toEqual(['WorkerJob:7', 'all']);
  });

  it('reports a page handler failure in the worker, with its message', async () => {
    const { workerBus, pageBus } = workerPair();
    const failing = (): void => {
      throw new Error('page handler broke');
    };
    pageBus.subscribe(Job, failing);
    await pageBus.refresh();
    const result = await workerBus.publish(Job.create({ n: 1 }));
    expect(result.failures).toHaveLength(1);
    expect(String((result.failures[0]!.error as Error).message)).toContain('page handler broke');
  });

  it('rejects a forged event from the page with the decode error, keeping its code', async () => {
    const { workerBus, pageBus } = workerPair();
    const forged = { id: 'x', type: 'WorkerJob', occurredAt: new Date().toISOString(), data: { n: 'not a number' } } as unknown as AnyEvent;
    const error: unknown = await pageBus.publish(forged).catch((thrown: unknown) => thrown);
    expect(isEventwireError(error, 'SCHEMA_VALIDATION_FAILED')).toBe(true);
    expect(workerBus.getStats().eventsPublished).toBe(0);
  });

  it('unsubscribes page handlers in the worker', async () => {
    const { workerBus, pageBus } = workerPair();
    const seen: number[] = [];
    const handler = (event: AnyEvent): void => void seen.push((event.data as { n: number }).n);
    const unsubscribe = pageBus.subscribe(Job, handler);
    await pageBus.refresh();
    await workerBus.publish(Job.create({ n: 1 }));
    unsubscribe();
    await pageBus.refresh(Job);
    expect(pageBus.getSubscriberCount(Job)).toBe(0);
    await workerBus.publish(Job.create({ n: 2 }));
    expect(seen).toEqual([1]);
  });

  it('terminate() rejects every pending call at once with WORKER_TERMINATED, and later calls too', async () => {
    const { workerBus, pageBus } = workerPair();
    // A worker handler that never finishes: the publishes stay pending.
    workerBus.subscribe(Job, () => new Promise(() => {}));
    const pending = [pageBus.publish(Job.create({ n: 1 })), pageBus.publish(Job.create({ n: 2 })), pageBus.shutdown({ timeoutMs: 60_000 })];
    await vi.waitFor(() => expect(pageBus.pendingCalls).toBe(3));
    pageBus.terminate();
    const outcomes = await Promise.allSettled(pending);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect(isEventwireError((outcome as PromiseRejectedResult).reason, 'WORKER_TERMINATED')).toBe(true);
    }
    expect(pageBus.pendingCalls).toBe(0);
    await expect(pageBus.publish(Job.create({ n: 3 }))).rejects.toSatisfy((error) => isEventwireError(error, 'WORKER_TERMINATED'));
  });

  it('rejects a call the worker does not answer in time with TIMEOUT', async () => {
    const { workerBus, pageBus } = workerPair(50);
    workerBus.subscribe(Job, () => new Promise(() => {}));
    await expect(pageBus.publish(Job.create({ n: 1 }))).rejects.toSatisfy((error) => isEventwireError(error, 'TIMEOUT'));
  });
});
