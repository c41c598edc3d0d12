import { isEventwireError } from '@eventwire/core';
import { EventwireDevtools } from '@eventwire/devtools-ui';
import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { OrderPlaced, sensitiveFields } from './domain/events.js';
import type { OrderSummary } from './domain/orderSummaryProjection.js';
import { randomOrder, type OrdersApp } from './ordersApp.js';
import { StatusBar, type InfraStatus } from './StatusBar.js';

/** The orders app: place, ship and cancel orders; the audit log; the devtools docked below. */
export function App({ app, infra }: { readonly app: OrdersApp; readonly infra: InfraStatus }) {
  useSyncExternalStore(
    (listener) => app.subscribe(listener),
    () => app.version,
  );
  const [error, setError] = useState<string | undefined>(undefined);
  const run = (work: () => Promise<unknown>): void => {
    setError(undefined);
    work().catch((e: unknown) => setError(isEventwireError(e) ? `${e.code}: ${e.message}` : String(e)));
  };
  const orders = [...app.projection.orders.values()].reverse();

  return (
    <div className="demo">
      <header className="demo-header">
        <div>
          <h1>
            Northwind Orders <span className="pill">eventwire demo</span>
          </h1>
          <p>
            Orders as events: every change is stored ({infra.store}), synced to your other tabs ({infra.sync}) and projected into this list ({infra.projection}). Open the devtools below, or in their
            own tab to watch every tab at once.
          </p>
        </div>
        <a className="button ghost" href="./devtools/" target="_blank" rel="noreferrer" data-testid="open-devtools">
          Standalone devtools ↗
        </a>
      </header>
      <StatusBar app={app} infra={infra} />
      {error !== undefined && (
        <div className="alert" role="alert">
          {error}
        </div>
      )}
      <main className="demo-grid">
        <section className="card">
          <h2>New order</h2>
          <OrderForm onSubmit={(data) => run(() => app.placeOrder(data))} />
          <div className="quick">
            <button onClick={() => run(() => app.placeOrder(randomOrder()))} data-testid="random-order">
              Random order
            </button>
            <button onClick={() => run(() => app.placeRandomOrders(20))}>20 orders</button>
            <button onClick={() => run(() => burst(app, 1000))} title="1,000 events straight on the bus, not stored">
              Burst 1,000 events
            </button>
          </div>
        </section>
        <section className="card orders">
          <h2>
            Orders <span className="count">{orders.length}</span>
          </h2>
          <OrdersTable orders={orders} onShip={(id) => run(() => app.ship(id))} onCancel={(id) => run(() => app.cancel(id))} />
        </section>
        <section className="card audit">
          <h2>
            Audit log <span className="count">wildcard handler</span>
          </h2>
          <ol data-testid="audit-log">
            {app.audit
              .slice(-40)
              .reverse()
              .map((line) => (
                <li key={line.id}>
                  <span className={`dot ${line.origin}`} title={line.origin === 'here' ? 'published in this tab' : 'from another tab'} />
                  <b>{line.type}</b> <code>{line.aggregateId ?? ''}</code>
                  <time>{line.at.slice(11, 19)}</time>
                </li>
              ))}
          </ol>
        </section>
      </main>
      <EventwireDevtools
        bus={app.bus}
        bridge={{ redact: sensitiveFields, store: app.store, label: 'embedded', replayDeadLetter: (eventId, consumer) => app.replayDeadLetter(eventId, consumer) }}
      />
    </div>
  );
}

function OrderForm({ onSubmit }: { readonly onSubmit: (data: ReturnType<typeof randomOrder>) => void }) {
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    onSubmit({
      customerName: String(form.get('customerName') ?? ''),
      customerEmail: String(form.get('customerEmail') ?? ''),
      totalAmount: Number(form.get('totalAmount') ?? 0),
      items: [{ sku: String(form.get('sku') ?? 'KB-01 keyboard'), quantity: 1 }],
      cardNumber: String(form.get('cardNumber') ?? ''),
    });
  };
  return (
    <form onSubmit={submit} className="form" data-testid="order-form">
      <label>
        Customer <input name="customerName" defaultValue="Alice Martin" required />
      </label>
      <label>
        Email <input name="customerEmail" type="email" defaultValue="alice@example.com" />
      </label>
      <label>
        Item
        <select name="sku" defaultValue="KB-01 keyboard">
          <option>KB-01 keyboard</option>
          <option>MN-27 monitor</option>
          <option>HD-7 headset</option>
        </select>
      </label>
      <label>
        Total ($) <input name="totalAmount" type="number" step="0.01" min="0.01" defaultValue="99.99" required />
      </label>
      <label>
        Card <input name="cardNumber" defaultValue="4242 4242 4242 4242" autoComplete="off" />
        <small>sensitive: redacted before the devtools see it</small>
      </label>
      <button type="submit" className="primary" data-testid="place-order">
        Place order
      </button>
    </form>
  );
}

function OrdersTable({ orders, onShip, onCancel }: { readonly orders: readonly OrderSummary[]; readonly onShip: (id: string) => void; readonly onCancel: (id: string) => void }) {
  if (orders.length === 0) return <p className="empty">No orders yet. Place one, or open this page in a second tab and place it there.</p>;
  return (
    <table data-testid="orders">
      <thead>
        <tr>
          <th>Order</th>
          <th>Customer</th>
          <th>Total</th>
          <th>Status</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {orders.slice(0, 100).map((order) => (
          <tr key={order.orderId} data-order={order.orderId}>
            <td>
              <code>{order.orderId}</code>
            </td>
            <td>{order.customerName}</td>
            <td>${order.totalAmount.toFixed(2)}</td>
            <td>
              <span className={`status ${order.status}`}>{order.status}</span>
              {order.trackingNumber !== undefined && <small> {order.trackingNumber}</small>}
            </td>
            <td className="actions">
              {order.status === 'placed' && (
                <>
                  <button onClick={() => onShip(order.orderId)} data-testid="ship">
                    Ship
                  </button>
                  <button onClick={() => onCancel(order.orderId)} className="danger" data-testid="cancel">
                    Cancel
                  </button>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** 1,000 events in one publish, straight on the bus: what the devtools must keep up with. */
async function burst(app: OrdersApp, count: number): Promise<void> {
  const events = Array.from({ length: count }, (_, i) => OrderPlaced.create(randomOrder(), { aggregateId: `burst_${i}`, metadata: { synthetic: true } }));
  await app.bus.publish(events);
}
