import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Serves the pages that the Playwright specs open: each fixture is an HTML page in ./fixtures. */
export default defineConfig({
  root: fileURLToPath(new URL('./fixtures', import.meta.url)),
  resolve: { conditions: ['@eventwire/source', 'module', 'browser', 'development|production'] },
  server: { port: Number(process.env.E2E_PORT ?? 5199), strictPort: true, host: '127.0.0.1' },
  // The devtools bench serves React's production build: its dependencies are optimized apart.
  cacheDir: process.env.EVENTWIRE_VITE_CACHE || undefined,
  logLevel: 'warn',
});
