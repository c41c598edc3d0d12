import { EventRegistry, type AnyEvent, type EventStore } from '@eventwire/core';
import { wrapBus, type WorkerEventBus } from '@eventwire/transport-worker';
import { OrdersProjected, workerEvents } from './domain/events.js';
import type { OrdersApp } from './ordersApp.js';

/** The orders list, projected in a dedicated worker. */
export interface WorkerProjection {
  readonly workerBus: WorkerEventBus;
  /** Feeds the worker what the store already holds (orders from before this tab opened). */
  catchUp(store: EventStore): Promise<void>;
  close(): void;
}

/**
 * Runs the OrderSummaryProjection in a worker: order events go to the worker's bus, the rows
 * come back as OrdersProjected; the page reports the projection's checkpoint and lag.
 * @example
 * ```ts
 * const projection = startWorkerProjection(app, 'Orders tab A');
 * ```
 */
export function startWorkerProjection(app: OrdersApp, tabLabel: string): WorkerProjection {
  const worker = new Worker(new URL('./projectionWorker.ts', import.meta.url), { type: 'module', name: `Projection worker · ${tabLabel}` });
  const workerBus = wrapBus(worker, { registry: new EventRegistry(workerEvents), timeoutMs: 10_000 });
  let sent = 0;
  let workerBusId: string | undefined;
  workerBus.subscribe(OrdersProjected, function showProjectedOrders(event) {
    const busId = event.metadata?.busId;
    if (workerBusId === undefined && typeof busId === 'string') {
      workerBusId = busId; // the devtools link this tab to its worker
      app.bus.report({ type: 'peer', peer: { id: busId, kind: 'worker', name: `Projection worker · ${tabLabel}` }, status: 'joined' });
    }
    app.projection.load(event.data.orders);
    app.bus.report({ type: 'checkpoint', projection: 'OrderSummaryProjection (worker)', position: event.data.position, lag: Math.max(0, sent - event.data.position) });
  });
  app.bus.subscribe('Order.*', function forwardToProjectionWorker(event: AnyEvent) {
    if (event.metadata?.synthetic !== true) forward(event);
  });
  const forward = (event: AnyEvent): void => {
    sent++;
    // Not awaited: the page's publish does not wait for the worker; a lost worker shows as lag.
    workerBus.publish(event).catch(() => {});
  };
  return {
    workerBus,
    async catchUp(store) {
      for (const stored of await store.readAll()) if (stored.event.aggregateType === 'Order') forward(stored.event);
    },
    close: () => workerBus.terminate(),
  };
}
