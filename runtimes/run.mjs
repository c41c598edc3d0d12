// Runs the runtime matrix alone: `node runtimes/run.mjs [runtime ...]`.
import { matrixRuntimes, runtimeMatrix } from './matrix.mjs';

const only = process.argv.slice(2);
const unknown = only.filter((name) => !matrixRuntimes.includes(name));
if (unknown.length > 0) {
  console.error(`unknown runtime(s): ${unknown.join(', ')}; choose from ${matrixRuntimes.join(', ')}`);
  process.exit(2);
}
const results = await runtimeMatrix(only.length > 0 ? { only } : {});
console.log('');
for (const r of results) console.log(`${r.name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
const total = results.reduce((sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, skipped: sum.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
