// Node 22 lives in runtimes/node22, not among the root dev dependencies: the `node` package's
// bin would otherwise shadow Node 20 in every npm script (npm puts node_modules/.bin first on
// PATH), and the vitest `node` project must keep running on Node 20.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { capture } from './launch.mjs';

/**
 * The path of the Node 22 binary, installed from the npm registry on first use.
 * @returns {Promise<string | undefined>}
 */
export async function ensureNode22(root) {
  const dir = join(root, 'runtimes/node22');
  const binary = join(dir, 'node_modules/node/bin/node');
  if (existsSync(binary)) return binary;
  console.log('[runtime matrix] installing Node 22 (npm install in runtimes/node22)');
  const { code, output } = await capture('flock', ['/tmp/eventwire-npm.lock', 'npm', 'install', '--no-audit', '--no-fund'], { cwd: dir, timeoutMs: 5 * 60_000 });
  if (code !== 0) console.log(output);
  return existsSync(binary) ? binary : undefined;
}
