// Shared by the benches that drive Chromium: the Vite server of e2e/fixtures, and small stats.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const viteBin = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url));
const productionCache = fileURLToPath(new URL('../../node_modules/.vite-production', import.meta.url));

/**
 * Starts the e2e fixtures' Vite server on `port` and waits until `readyPath` answers. With
 * `production`, dependencies (React) are served in their production builds, as `npm start`
 * ships them, from a Vite cache of their own (the e2e server keeps the development builds).
 * Vite is started directly, not through npx: killing npx would leave Vite running and the
 * bench waiting on its pipe forever.
 * @returns {Promise<{ base: string, close(): void }>}
 */
export async function startFixtureServer(port, readyPath = '/', { production = false } = {}) {
  const server = spawn(process.execPath, [viteBin, '--config', 'e2e/vite.config.ts', '--port', String(port)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, E2E_PORT: String(port), ...(production ? { NODE_ENV: 'production', EVENTWIRE_VITE_CACHE: productionCache } : {}) },
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(`${base}${readyPath}`);
  } catch (error) {
    server.kill();
    throw error;
  }
  return { base, close: () => server.kill() };
}

async function waitForServer(url) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the fixtures' Vite server did not start at ${url}`);
}

/** The median of some samples. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A count for a table: 12,345. */
export function formatCount(n) {
  return Math.round(n).toLocaleString('en-US');
}
