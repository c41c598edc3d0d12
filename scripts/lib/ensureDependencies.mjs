import { existsSync, statSync } from 'node:fs';
import { run } from './run.mjs';

/** Installs npm packages when node_modules is missing or older than the lockfile. */
export async function ensureDependencies() {
  const marker = 'node_modules/.package-lock.json';
  const stale = !existsSync(marker) || statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs + 1000;
  if (!stale) return;
  console.log('[eventwire] installing npm packages (npm install)');
  const code = await run('npm', ['install', '--no-audit', '--no-fund']);
  if (code !== 0) throw new Error('npm install failed');
}
