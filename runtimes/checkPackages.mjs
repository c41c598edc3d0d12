// Package checks of `npm run check` that publint and attw do not do:
// 1. every published package's browser entry (dist, `browser` condition) bundles for the browser
//    with nothing Node-only in it (no `node:*` or Node builtin, directly or through a dependency);
// 2. every published package has a size budget in .size-limit.mjs, and size-limit enforces them.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { budgets, publishedPackages } from '../.size-limit.mjs';

/** Packages that are server-side by design, so they have no browser entry to check. */
const serverOnly = {
  'transport-redis': 'Redis speaks TCP (ioredis): Node, Bun and Deno only',
};

/** Bundles the package's published entry as a browser bundler would; returns the problems. */
async function browserEntryProblems(name) {
  const manifest = JSON.parse(readFileSync(`packages/${name}/package.json`, 'utf8'));
  const entry = `packages/${name}/dist/index.js`;
  if (!existsSync(entry)) return [`${entry} is missing: run the build first`];
  const peers = Object.keys(manifest.peerDependencies ?? {});
  try {
    await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      conditions: ['browser', 'import', 'default'],
      external: peers.flatMap((peer) => [peer, `${peer}/*`]),
      logLevel: 'silent',
    });
    return [];
  } catch (error) {
    return (error.errors ?? [{ text: String(error) }]).map((e) => `${e.location?.file ?? entry}: ${e.text}`);
  }
}

let failed = false;
for (const name of publishedPackages()) {
  if (serverOnly[name] !== undefined) {
    console.log(`browser entry of ${name}: not checked (${serverOnly[name]})`);
    continue;
  }
  const problems = await browserEntryProblems(name);
  console.log(problems.length === 0 ? `browser entry of ${name}: ok, nothing Node-only` : `browser entry of ${name}: FAILED\n  ${problems.join('\n  ')}`);
  failed ||= problems.length > 0;
}

const unbudgeted = publishedPackages().filter((name) => budgets[name] === undefined);
for (const name of unbudgeted) console.log(`size budget of ${name}: MISSING, add one to .size-limit.mjs`);
failed ||= unbudgeted.length > 0;

const sizeLimit = spawnSync('npx', ['size-limit'], { stdio: 'inherit' });
failed ||= sizeLimit.status !== 0;
process.exit(failed ? 1 : 0);
