import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { devtoolsRelay } from './relay.mjs';

/** The standalone devtools. Built with a relative base so it can be served under /devtools/ next to an app. */
export default defineConfig({
  base: './',
  plugins: [react(), devtoolsRelay()],
  resolve: { conditions: ['@eventwire/source', 'module', 'browser', 'development|production'] },
  server: { host: '127.0.0.1' },
});
