// `npm run bench`: runs every suite in bench/ (each `*.bench.mjs` runner or `*.bench.ts` file
// run with tsx), each writes its table to bench/results/<suite>.md; then bench/RESULTS.md is
// rebuilt from those tables with the command that made them.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ensureBrokers } from './lib/ensureBrokers.mjs';
import { ensureChromium } from './lib/ensureChromium.mjs';
import { ensureDependencies } from './lib/ensureDependencies.mjs';
import { run } from './lib/run.mjs';

// What the suites need, installed as `npm test` installs it: npm packages, Chromium, the brokers.
await ensureDependencies();
await ensureChromium();
await ensureBrokers();

const only = process.argv.slice(2);
const suites = readdirSync('bench')
  .filter((file) => /\.bench\.(ts|mjs)$/.test(file))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

let failed = false;
for (const suite of suites) {
  console.log(`\n=== bench/${suite}`);
  const args = suite.endsWith('.ts') ? ['tsx', '--conditions=@eventwire/source', `bench/${suite}`] : ['node', `bench/${suite}`];
  const code = await run('npx', args);
  if (code !== 0) failed = true;
}

const tables = readdirSync('bench/results')
  .filter((file) => file.endsWith('.md'))
  .sort()
  .map((file) => readFileSync(`bench/results/${file}`, 'utf8').trim());
const header = [
  '# Benchmark results',
  '',
  'Made by `npm run bench` (each suite can be run alone: `npm run bench -- <name>`), on the',
  'project machine: 2 cores, Node 20, Debian Chromium. Ratios matter more than absolute numbers:',
  'every table compares eventwire with its peers measured in the same process or page.',
  '',
].join('\n');
writeFileSync('bench/RESULTS.md', `${header}\n${tables.join('\n\n')}\n`);
console.log('\nbench/RESULTS.md updated');
process.exit(failed ? 1 : 0);
