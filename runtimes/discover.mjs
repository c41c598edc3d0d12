// Which test files the runtime matrix runs: the portable tests of core and testing (which run the
// contract suites against the in-memory implementations) and the matrix's own suites.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Folders whose `*.test.ts` files are candidates, relative to the repository root. */
export const testRoots = ['packages/core/src/__tests__', 'packages/testing/src/__tests__', 'runtimes/suites'];

/** What keeps a file out of the matrix: vitest-runner features or Node/browser-only imports. */
const notPortable = [
  [/\bvi\.(mock|doMock|hoisted|useFakeTimers|stubGlobal|stubEnv|importActual)\b/, (m) => `uses vi.${m[1]}, which needs vitest's own runner`],
  [/from\s+['"](node:[\w/]+)['"]/, (m) => `imports ${m[1]}`],
  [/from\s+['"](fake-indexeddb[\w/]*)['"]/, (m) => `imports ${m[1]}`],
  [/from\s+['"]((@vitest\/browser|vitest\/browser)[\w/-]*)['"]/, (m) => `imports ${m[1]}`],
];

/**
 * Lists the matrix's test files and the candidates it leaves out, each with the reason.
 * @param {string} root the repository root
 * @param {string} [filter] keep only files whose path contains it (EVENTWIRE_MATRIX_FILES)
 * @returns {{ files: string[], excluded: { file: string, reason: string }[] }}
 */
export function discoverTestFiles(root, filter = process.env.EVENTWIRE_MATRIX_FILES || undefined) {
  const files = [];
  const excluded = [];
  for (const folder of testRoots) {
    if (!existsSync(join(root, folder))) continue;
    for (const name of readdirSync(join(root, folder)).sort()) {
      if (!name.endsWith('.test.ts') || name.endsWith('.node.test.ts') || name.endsWith('.browser.test.ts')) continue;
      const file = `${folder}/${name}`;
      if (filter !== undefined && !file.includes(filter)) continue;
      const reason = whyNotPortable(readFileSync(join(root, file), 'utf8'));
      if (reason === undefined) files.push(file);
      else excluded.push({ file, reason });
    }
  }
  return { files, excluded };
}

function whyNotPortable(source) {
  for (const [pattern, explain] of notPortable) {
    const match = pattern.exec(source);
    if (match) return explain(match);
  }
  return undefined;
}
