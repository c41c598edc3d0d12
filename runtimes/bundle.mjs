// Bundles the matrix for one runtime with esbuild: one entry per test file (its runtime's
// driver plus the file), shared code split into chunks, and `vitest` aliased to the harness.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * How each kind of runtime resolves packages. `process` runtimes (Node 22, Deno, Bun) keep
 * `node:` builtins external; workerd and browser workers get none, so a Node-only import in
 * core fails the bundle instead of slipping through.
 */
const targets = {
  process: { driver: 'drivers/process.ts', platform: 'node', conditions: [] },
  workerd: { driver: 'drivers/workerd.ts', platform: 'neutral', conditions: ['workerd', 'worker', 'browser', 'import', 'default'] },
  browser: { driver: 'drivers/browserWorker.ts', platform: 'browser', conditions: ['worker'] },
};

/**
 * Writes `<outDir>/file-<i>.mjs` for each test file, plus shared chunks.
 * @param {{ root: string, runtime: string, target: keyof typeof targets, files: string[], outDir: string }} options
 * @returns {Promise<{ entries: { file: string, entry: string }[], chunks: string[] }>} names relative to outDir
 */
export async function bundleMatrix({ root, runtime, target, files, outDir }) {
  const { driver, platform, conditions } = targets[target];
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const entries = files.map((file, index) => ({ file, entry: `file-${index}.mjs` }));
  await build({
    entryPoints: entries.map(({ entry }, index) => ({ in: `eventwire-matrix:${index}`, out: entry.replace(/\.mjs$/, '') })),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform,
    target: 'es2022',
    conditions: ['@eventwire/source', ...conditions],
    mainFields: platform === 'neutral' ? ['browser', 'module', 'main'] : undefined,
    alias: { vitest: join(root, 'runtimes/harness/vitestShim.ts') },
    define: { __MATRIX_RUNTIME__: JSON.stringify(runtime) },
    plugins: [entriesPlugin(root, join(root, 'runtimes', driver), files)],
    // workerd does not map stack traces, and every byte is compiled per test file there.
    sourcemap: target === 'workerd' ? false : 'inline',
    logLevel: 'silent',
  });
  const chunks = readdirSync(outDir).filter((name) => name.startsWith('chunk-'));
  return { entries, chunks };
}

/** The virtual entries: `eventwire-matrix:<i>` starts the driver on test file i. */
function entriesPlugin(root, driver, files) {
  return {
    name: 'eventwire-matrix-entries',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^eventwire-matrix:\d+$/ }, (args) => ({ path: args.path.split(':')[1], namespace: 'eventwire-matrix' }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'eventwire-matrix' }, (args) => {
        const file = files[Number(args.path)];
        return {
          resolveDir: root,
          loader: 'ts',
          contents: [
            `import { start } from ${JSON.stringify(driver)};`,
            `export default start(${JSON.stringify(file)}, () => import(${JSON.stringify(resolve(root, file))}));`,
          ].join('\n'),
        };
      });
    },
  };
}
