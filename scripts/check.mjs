// `npm run check`: type-checks everything (sources, tests, examples, benches), builds every
// package's dist with declarations, then runs publint and attw (--profile esm-only) on each
// published package. Exits non-zero on the first kind of failure it finds, after running all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { run } from './lib/run.mjs';

const packages = readdirSync('packages')
  .map((name) => `packages/${name}`)
  .filter((dir) => existsSync(`${dir}/package.json`))
  .filter((dir) => !JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')).private);

const steps = [
  ['typecheck (sources, tests, examples, benches)', 'npx', ['tsc', '-p', 'tsconfig.check.json']],
  ['build (tsc -b: dist + declarations)', 'npx', ['tsc', '-b', 'tsconfig.json']],
  ...packages.flatMap((dir) => [
    [`publint ${dir}`, 'npx', ['publint', '--strict', dir]],
    [`attw ${dir}`, 'npx', ['attw', '--pack', dir, '--profile', 'esm-only']],
  ]),
];

const { sizeLimitStep } = await import('./lib/sizeLimit.mjs').catch(() => ({ sizeLimitStep: undefined }));
if (sizeLimitStep !== undefined) steps.push(sizeLimitStep);

const failed = [];
for (const [name, command, args] of steps) {
  console.log(`\n=== ${name}`);
  if ((await run(command, args)) !== 0) failed.push(name);
}
console.log(failed.length === 0 ? '\ncheck: all passed' : `\ncheck: FAILED: ${failed.join(', ')}`);
process.exit(failed.length === 0 ? 0 : 1);
