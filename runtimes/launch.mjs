// Starts one runtime on its bundle and collects its output and counts. Deno gets --allow-env only
// because the harness's expect (tinyrainbow, through @vitest/expect) reads colour settings.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPORT_MARKER = '@@eventwire-matrix-report ';

/**
 * Runs a command, captures stdout and stderr together, and kills it after `timeoutMs`.
 * @returns {Promise<{ code: number, output: string, timedOut: boolean }>}
 */
export function capture(command, args, { timeoutMs, cwd, env = {} }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let timedOut = false;
    timer.unref();
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 127, output: `${output}could not start ${command}: ${error.message}\n`, timedOut });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      timedOut = signal === 'SIGKILL';
      resolve({ code: code ?? 1, output, timedOut });
    });
  });
}

/** Separates the report line from the rest of a runtime's output. */
export function parseReport(output) {
  const lines = output.split('\n');
  const reportLine = lines.find((line) => line.startsWith(REPORT_MARKER));
  const report = reportLine === undefined ? undefined : JSON.parse(reportLine.slice(REPORT_MARKER.length));
  return { report, text: condense(lines.filter((line) => !line.startsWith(REPORT_MARKER))) };
}

/**
 * Keeps what a reader needs from a runtime's output: failures, skips, per-file counts and
 * anything the tests printed. Passing tests are listed only with EVENTWIRE_MATRIX_VERBOSE=1.
 */
export function condense(lines) {
  const verbose = Boolean(process.env.EVENTWIRE_MATRIX_VERBOSE);
  const noise = /^(  ok   |workerd\/server\/server\/run\.rs:\d+: debug: \[ (TEST|PASS) \])/;
  return lines.filter((line) => verbose || !noise.test(line)).join('\n').trimEnd();
}

/** Node 22, Deno and Bun run the bundle as a script. */
export function processCommand(runtime, binary, bundle) {
  if (runtime === 'deno') return [binary, ['run', '--no-config', '--no-lock', '--quiet', '--allow-env', bundle], { DENO_NO_UPDATE_CHECK: '1' }];
  if (runtime === 'bun') return [binary, ['run', '--no-install', bundle], {}];
  return [binary, [bundle], {}];
}

/**
 * workerd: one config per test file, each with one service: a module worker (its entry first,
 * then the shared chunks) with no Node compatibility flag, so only the web platform that
 * Cloudflare Workers offer is there. One config per file, because workerd compiles every
 * service of a config at start. `workerd test <config>` runs it.
 * @returns {string[]} the config paths, in the order of `entries`
 */
export function writeWorkerdConfigs(outDir, entries, chunks) {
  const module = (name) => `(name = "${name}", esModule = embed "${name}")`;
  return entries.map(({ entry }, index) => {
    const config = join(outDir, `matrix-${index}.capnp`);
    writeFileSync(
      config,
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = ( services = [ (name = "file${index}", worker = .file) ] );
const file :Workerd.Worker = (
  modules = [ ${[entry, ...chunks].map(module).join(', ')} ],
  compatibilityDate = "2026-11-01",
);
`,
    );
    return config;
  });
}
