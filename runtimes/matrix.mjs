// The runtime matrix: the portable tests and contract suites, bundled per runtime and run in
// Node 22, Deno, Bun, workerd and Chromium's dedicated and shared workers, each test file in a
// fresh realm (process, isolate, worker), as vitest isolates files.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleMatrix } from './bundle.mjs';
import { discoverTestFiles } from './discover.mjs';
import { capture, condense, parseReport, processCommand, writeWorkerdConfigs } from './launch.mjs';
import { runInBrowserWorkers } from './browserWorkers.mjs';
import { ensureNode22 } from './node22.mjs';
import { runCloudflareExample, runDenoExample } from './examples.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outRoot = join(root, 'runtimes/.out');
/** Per test file: the harness caps each test at 2 minutes, so this only catches a stuck realm. */
const fileTimeoutMs = 5 * 60_000;
const isCI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';

/** Every runtime of the matrix (Node 20 and the Chromium window are vitest's projects). */
export const matrixRuntimes = ['node22', 'deno', 'bun', 'workerd', 'chromium-dedicated-worker', 'chromium-shared-worker'];

/**
 * Runs the matrix and prints each runtime's output as one block.
 * @param {{ only?: string[] }} [options] run only these runtimes
 * @returns {Promise<{ name: string, passed: number, failed: number, skipped: number }[]>}
 */
export async function runtimeMatrix({ only = matrixRuntimes } = {}) {
  const { files, excluded } = discoverTestFiles(root);
  console.log(`\n[runtime matrix] ${files.length} test files, each bundled per runtime with vitest aliased to runtimes/harness`);
  for (const { file, reason } of excluded) console.log(`[runtime matrix] not in the matrix: ${file} (${reason})`);
  const selected = matrixRuntimes.filter((name) => only.includes(name));
  const jobs = selected.map((name) => () => runRuntime(name, files));
  if (selected.includes('workerd')) jobs.push(() => runExample(() => runCloudflareExample(root, outRoot)));
  if (selected.includes('deno')) jobs.push(() => runExample(() => runDenoExample(root)));
  return inParallel(jobs, 2);
}

async function runExample(run) {
  const outcome = await run().catch((error) => ({ name: 'example', report: undefined, text: String(error?.stack ?? error), exitedWithFailure: true }));
  if (outcome.missing !== undefined) return missing(outcome.name, outcome.missing);
  return settle(outcome.name, [{ file: outcome.name, ...outcome }]);
}

async function runRuntime(name, files) {
  const started = performance.now();
  const counts = await runRuntimeFiles(name, files);
  console.log(`[runtime matrix] ${name}: took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return counts;
}

async function runRuntimeFiles(name, files) {
  const outDir = join(outRoot, name);
  const target = name === 'workerd' ? 'workerd' : name.startsWith('chromium-') ? 'browser' : 'process';
  const runner = target === 'browser' ? await browserRunner(name) : await processRunner(name, target, outDir);
  if (runner.missing !== undefined) return missing(name, runner.missing);
  const { bundle, unbundled } = await bundleWhatBuilds({ runtime: name, target, files, outDir });
  const outputs = bundle === undefined ? [] : await runner.run(bundle, outDir);
  return settle(name, [...unbundled, ...outputs]);
}

/**
 * Bundles the files for one runtime. When the bundle fails, finds the files that do not build
 * for this runtime (each then counts as one failure, with esbuild's reason) and runs the rest.
 */
async function bundleWhatBuilds({ runtime, target, files, outDir }) {
  try {
    return { bundle: await bundleMatrix({ root, runtime, target, files, outDir }), unbundled: [] };
  } catch (error) {
    const unbundled = [];
    for (const file of files) {
      try {
        await bundleMatrix({ root, runtime, target, files: [file], outDir });
      } catch (fileError) {
        unbundled.push({ file, report: undefined, text: `file ${file}: does not bundle for ${runtime}\n${describeBuildError(fileError)}`, problem: 'bundling failed' });
      }
    }
    const buildable = files.filter((file) => !unbundled.some((entry) => entry.file === file));
    if (unbundled.length === 0 || buildable.length === 0) {
      return { bundle: undefined, unbundled: unbundled.length > 0 ? unbundled : [{ file: '(all files)', report: undefined, text: describeBuildError(error), problem: 'bundling failed' }] };
    }
    return { bundle: await bundleMatrix({ root, runtime, target, files: buildable, outDir }), unbundled };
  }
}

function describeBuildError(error) {
  const detail = (error.errors ?? []).map((e) => `  ${e.location?.file ?? ''}:${e.location?.line ?? ''} ${e.text}`).join('\n');
  return detail || String(error);
}

/** Node 22, Deno and Bun run one process per file; workerd one `workerd test` per file. */
async function processRunner(name, target, outDir) {
  const binary = name === 'node22' ? await ensureNode22(root) : existsSync(join(root, 'node_modules/.bin', name)) ? join(root, 'node_modules/.bin', name) : undefined;
  if (binary === undefined) return { missing: `the ${name} binary is not installed (npm install installs it)` };
  return {
    async run({ entries, chunks }) {
      const configs = target === 'workerd' ? writeWorkerdConfigs(outDir, entries, chunks) : undefined;
      const outputs = [];
      for (const [index, { file, entry }] of entries.entries()) {
        const [command, args, env] = configs !== undefined ? [binary, ['test', configs[index]], {}] : processCommand(name, binary, join(outDir, entry));
        const { code, output, timedOut } = await capture(command, args, { timeoutMs: fileTimeoutMs, cwd: outDir, env });
        outputs.push({ file, ...parseReport(output), exitedWithFailure: code !== 0, problem: timedOut ? `killed after ${fileTimeoutMs} ms` : undefined });
      }
      return outputs;
    },
  };
}

/** Chromium's dedicated and shared workers: one worker per file, in one browser. */
async function browserRunner(name) {
  const executablePath = process.env.EVENTWIRE_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) return { missing: `${executablePath} is not installed` };
  const kind = name === 'chromium-shared-worker' ? 'shared' : 'dedicated';
  return {
    async run({ entries }, outDir) {
      const results = await runInBrowserWorkers({ dir: outDir, executablePath, kind, entries, timeoutMs: fileTimeoutMs });
      return results.map(({ file, report, text }) => ({ file, report, text: condense(text.split('\n')), exitedWithFailure: false }));
    },
  };
}

/** Sums the files' reports and prints the runtime's block; a file with no report is a failure. */
function settle(name, outputs) {
  const counts = { name, passed: 0, failed: 0, skipped: 0 };
  const lines = [];
  for (const { file, report, text, exitedWithFailure, problem } of outputs) {
    if (text !== '') lines.push(text);
    if (report === undefined) {
      lines.push(`file ${file}: no report${problem ? ` (${problem})` : ''}: counted as 1 failed`);
      counts.failed += 1;
      continue;
    }
    counts.passed += report.passed;
    counts.skipped += report.skipped;
    counts.failed += report.failed === 0 && exitedWithFailure ? 1 : report.failed;
  }
  const runtimeLine = outputs.map((output) => output.report?.runtime).find((runtime) => runtime !== undefined);
  console.log(`\n[runtime matrix] ${name}${runtimeLine ? `: ${runtimeLine}` : ''}\n${lines.join('\n')}`);
  console.log(`[runtime matrix] ${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  return counts;
}

/** A runtime that is not installed: a failure under CI, a skip with its reason elsewhere. */
function missing(name, reason) {
  console.log(`\n[runtime matrix] ${name}: ${isCI ? 'FAILED' : 'SKIPPED'}: ${reason}`);
  return { name, passed: 0, failed: isCI ? 1 : 0, skipped: 1 };
}

async function inParallel(jobs, limit) {
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}
