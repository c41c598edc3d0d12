// Shared by the benches that drive Chromium: the Vite server of e2e/fixtures, and small stats.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const viteBin = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url));

/**
 * Starts the e2e fixtures' Vite server on `port` and waits until `readyPath` answers.
 * Vite is started directly, not through npx: killing npx would leave Vite running and the
 * bench waiting on its pipe forever.
 * @returns {Promise<{ base: string, close(): void }>}
 */
export async function startFixtureServer(port, readyPath = '/') {
  const server = spawn(process.execPath, [viteBin, '--config', 'e2e/vite.config.ts', '--port', String(port)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, E2E_PORT: String(port) },
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
