import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { joinTabs, type TabSync } from './infrastructure.js';
import { OrdersApp } from './ordersApp.js';
import { startWorkerProjection } from './workerProjection.js';
import './styles.css';

const tab = new URLSearchParams(location.search).get('tab') ?? Math.random().toString(36).slice(2, 6).toUpperCase();
const tabLabel = `Orders tab ${tab}`;
document.title = `${tabLabel} · eventwire demo`;

let sync: TabSync | undefined;
const app = new OrdersApp({ label: tabLabel, sendsEmails: () => sync?.election.isLeader ?? false, projection: 'worker' });
const projection = startWorkerProjection(app, tabLabel);
sync = await joinTabs(app, tabLabel);
const infra = { store: 'in memory, replicated from the other tabs', sync: 'BroadcastChannel', projection: 'in a worker', tabLabel, election: sync.election };
createRoot(document.getElementById('root')!).render(<App app={app} infra={infra} />);
addEventListener('pagehide', () => {
  sync?.close();
  projection.close();
  app.close();
});
