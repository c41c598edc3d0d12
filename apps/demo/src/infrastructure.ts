import { connect, EventRegistry, type Connection } from '@eventwire/core';
import { createBroadcastTransport, electLeader, type LeaderElection } from '@eventwire/transport-broadcast';
import { orderEvents } from './domain/events.js';
import type { OrdersApp } from './ordersApp.js';

/** Cross-tab sync and the leader election of one demo tab. */
export interface TabSync {
  readonly connection: Connection;
  readonly election: LeaderElection;
  close(): void;
}

/**
 * Joins the other demo tabs: every order event crosses BroadcastChannel (decoded through the
 * registry on arrival), and the tabs elect a leader over Web Locks (it sends the confirmation
 * emails for all of them). Both report to the bus, so the devtools see the peers and the leader.
 * @example
 * ```ts
 * const sync = await joinTabs(app, 'Orders tab A');
 * ```
 */
export async function joinTabs(app: OrdersApp, label: string): Promise<TabSync> {
  const transport = createBroadcastTransport({ app: 'eventwire-demo-orders', peer: { id: app.bus.id, name: label, kind: 'tab' } });
  const connection = connect(app.bus, transport, { registry: new EventRegistry(orderEvents) });
  const election = await electLeader('eventwire-demo:emails', { reporter: app.bus, unsupported: 'lead' });
  return {
    connection,
    election,
    close() {
      void election.abdicate();
      void connection.close();
    },
  };
}
