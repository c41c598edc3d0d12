import type { LeaderElection } from '@eventwire/transport-broadcast';
import { useEffect, useState } from 'react';
import type { OrdersApp } from './ordersApp.js';

/** What the demo runs on: which pieces are real, which are missing in this build. */
export interface InfraStatus {
  readonly store: string;
  readonly sync: string;
  readonly projection: string;
  readonly tabLabel: string;
  readonly election?: LeaderElection;
}

/** The infrastructure at a glance: store position, sync, projection, this tab's name. */
export function StatusBar({ app, infra }: { readonly app: OrdersApp; readonly infra: InfraStatus }) {
  const [position, setPosition] = useState(0);
  const [leader, setLeader] = useState(infra.election?.isLeader ?? false);
  useEffect(() => {
    const timer = setInterval(() => void app.store.getLastPosition().then(setPosition, () => {}), 500);
    const stop = infra.election?.onLeaderChange(setLeader);
    return () => {
      clearInterval(timer);
      stop?.();
    };
  }, [app, infra]);
  const stats = app.bus.getStats();
  return (
    <div className="statusbar" data-testid="status-bar">
      <span>
        <b>Tab</b> {infra.tabLabel} {infra.election !== undefined && <em data-testid="role">{leader ? '★ leader (sends the emails)' : 'follower'}</em>}
      </span>
      <span>
        <b>Store</b> {infra.store} · position {position}
      </span>
      <span>
        <b>Sync</b> {infra.sync}
      </span>
      <span>
        <b>Projection</b> {infra.projection}
      </span>
      <span>
        <b>Bus</b> {stats.eventsPublished} events · {stats.handlersInvoked} handler calls · {stats.handlerErrors} errors
      </span>
    </div>
  );
}
