// `npm test`: installs what the tests need, runs every runner, and ends with one line
// `N passed, N failed, N skipped` summed over all of them.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureChromium } from './lib/ensureChromium.mjs';
import { ensureDependencies } from './lib/ensureDependencies.mjs';
import { isCI, run } from './lib/run.mjs';

const reports = '.reports';
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

await ensureDependencies();
const hasChromium = await ensureChromium();
/** Imports an optional part of the run; only its absence is tolerated, never an error inside it. */
async function optional(path, fallback) {
  try {
    return await import(path);
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(path.slice(2))) return fallback;
    throw error;
  }
}

const { ensureBrokers } = await optional('./lib/ensureBrokers.mjs', { ensureBrokers: async () => {} });
await ensureBrokers();

/** @type {{ name: string, passed: number, failed: number, skipped: number }[]} */
const results = [];

async function vitest(project) {
  const file = `${reports}/vitest-${project}.json`;
  const code = await run('npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`]);
  const report = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  const counts = {
    name: `vitest ${project}`,
    passed: report?.numPassedTests ?? 0,
    failed: report?.numFailedTests ?? 0,
    skipped: (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0),
  };
  if (code !== 0 && counts.failed === 0) counts.failed = 1; // a file that did not load, or the runner itself failed
  results.push(counts);
}

async function playwright() {
  const file = `${reports}/playwright.json`;
  const code = await run('npx', ['playwright', 'test'], { env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_FILE: file } });
  const report = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  const stats = report?.stats ?? {};
  const counts = { name: 'playwright', passed: (stats.expected ?? 0) + (stats.flaky ?? 0), failed: stats.unexpected ?? 0, skipped: stats.skipped ?? 0 };
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  results.push(counts);
}

await vitest('node');
if (hasChromium) {
  await vitest('browser');
  await playwright();
} else {
  const reason = 'Chromium is not installed, so the browser tests and Playwright specs did not run';
  console.log(`[eventwire] SKIPPED: ${reason}`);
  results.push({ name: 'browser', passed: 0, failed: isCI ? 1 : 0, skipped: 1 });
}

const { runtimeMatrix } = await optional('./lib/runtimeMatrix.mjs', { runtimeMatrix: undefined });
if (runtimeMatrix !== undefined) results.push(...(await runtimeMatrix()));

console.log('');
for (const r of results) console.log(`${r.name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
const total = results.reduce((sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, skipped: sum.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
