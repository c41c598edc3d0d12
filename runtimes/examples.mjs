// The examples that run in the tests: the Cloudflare Worker in workerd (its fetch handler
// reached through a service binding) and the Deno server with `deno test`.
import { build } from 'esbuild';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleMatrix } from './bundle.mjs';
import { capture, condense, parseReport } from './launch.mjs';

const timeoutMs = 5 * 60_000;

/**
 * Bundles `examples/cloudflare-worker` as a module worker (as wrangler would: `workerd`,
 * `worker`, `browser` conditions), and its test file as a second service bound to it as ORDERS.
 */
export async function runCloudflareExample(root, outRoot) {
  const name = 'example cloudflare-worker (workerd)';
  const workerd = join(root, 'node_modules/.bin/workerd');
  if (!existsSync(workerd)) return { name, missing: 'the workerd binary is not installed' };
  const outDir = join(outRoot, 'example-cloudflare-worker');
  const tests = await bundleMatrix({ root, runtime: 'workerd', target: 'workerd', files: ['examples/cloudflare-worker/test/worker.workerd.ts'], outDir: join(outDir, 'tests') });
  await build({
    entryPoints: [join(root, 'examples/cloudflare-worker/src/worker.ts')],
    outfile: join(outDir, 'worker.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['@eventwire/source', 'workerd', 'worker', 'browser', 'import', 'default'],
    mainFields: ['browser', 'module', 'main'],
    logLevel: 'silent',
  });
  const module = (file) => `(name = "${file}", esModule = embed "tests/${file}")`;
  const config = join(outDir, 'example.capnp');
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = ( services = [ (name = "orders", worker = .orders), (name = "tests", worker = .tests) ] );
const orders :Workerd.Worker = ( modules = [ (name = "worker.mjs", esModule = embed "worker.mjs") ], compatibilityDate = "2026-11-01" );
const tests :Workerd.Worker = (
  modules = [ ${[tests.entries[0].entry, ...tests.chunks].map(module).join(', ')} ],
  bindings = [ (name = "ORDERS", service = "orders") ],
  compatibilityDate = "2026-11-01",
);
`,
  );
  const { code, output } = await capture(workerd, ['test', config, 'tests'], { timeoutMs, cwd: outDir });
  const { report, text } = parseReport(output);
  return { name, report, text, exitedWithFailure: code !== 0 };
}

/** Runs `examples/deno-server/server_test.ts` with Deno's own test runner. */
export async function runDenoExample(root) {
  const name = 'example deno-server (deno)';
  const deno = join(root, 'node_modules/.bin/deno');
  if (!existsSync(deno)) return { name, missing: 'the deno binary is not installed' };
  const args = ['test', '--no-check', '--no-lock', '--config', 'examples/deno-server/deno.json', '--conditions=@eventwire/source', '--allow-net=127.0.0.1', '--allow-read', 'examples/deno-server/server_test.ts'];
  const { code, output } = await capture(deno, args, { timeoutMs, cwd: root, env: { DENO_NO_UPDATE_CHECK: '1' } });
  const summary = /(ok|FAILED) \| (\d+) passed(?: \((\d+) steps?\))? \| (\d+) failed(?: \| (\d+) ignored)?/.exec(output);
  const report = summary === null ? undefined : { runtime: 'deno test', passed: Number(summary[2]), failed: Number(summary[4]), skipped: Number(summary[5] ?? 0) };
  return { name, report, text: condense(output.trimEnd().split('\n')), exitedWithFailure: code !== 0 };
}
