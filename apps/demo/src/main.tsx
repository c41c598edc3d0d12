import { IndexedDBEventStore } from '@eventwire/store-idb';
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
let app: OrdersApp | undefined;
// One IndexedDB store for every tab of the origin: orders survive reloads and work offline.
const store = new IndexedDBEventStore({ name: 'eventwire-demo-orders', reporter: { report: (record) => app?.bus.report(record) } });
app = new OrdersApp({ label: tabLabel, store, replicate: false, projection: 'worker', sendsEmails: () => sync?.election.isLeader ?? false });
const projection = startWorkerProjection(app, tabLabel);
sync = await joinTabs(app, tabLabel);
await projection.catchUp(store);
const infra = { store: 'IndexedDB, shared by the tabs', sync: 'BroadcastChannel', projection: 'in a worker', tabLabel, election: sync.election };
createRoot(document.getElementById('root')!).render(<App app={app} infra={infra} />);
addEventListener('pagehide', () => {
  sync?.close();
  projection.close();
  app?.close();
  void store.close();
});
