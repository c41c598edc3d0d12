import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { OrdersApp } from './ordersApp.js';
import './styles.css';

const tab = new URLSearchParams(location.search).get('tab') ?? Math.random().toString(36).slice(2, 6).toUpperCase();
const tabLabel = `Orders tab ${tab}`;
document.title = `${tabLabel} · eventwire demo`;

const app = new OrdersApp({ label: tabLabel });
const infra = { store: 'in memory', sync: 'off', projection: 'in page', tabLabel };
createRoot(document.getElementById('root')!).render(<App app={app} infra={infra} />);
addEventListener('pagehide', () => app.close());
