import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { devtoolsRelay } from '../devtools/relay.mjs';

/** The demo. `npm start` builds it, builds the standalone devtools into dist/devtools/, and serves both. */
export default defineConfig({
  base: './',
  plugins: [react(), devtoolsRelay()],
  resolve: { conditions: ['@eventwire/source', 'module', 'browser', 'development|production'] },
  server: { host: '127.0.0.1' },
  worker: { format: 'es' },
});
