import { collectFile } from './testTree.js';
import { runCollected, type LineSink, type MatrixReport } from './runner.js';

/** The prefix of the one line that carries a test file's counts back to the matrix. */
export const REPORT_MARKER = '@@eventwire-matrix-report ';

/** Imports one test file (a dynamic import the bundler turns into a chunk). */
export type LoadTestFile = () => Promise<unknown>;

/** What the runtime says it is, so the output proves where the tests ran. */
export function runtimeDescription(): string {
  const navigatorLike = (globalThis as { navigator?: { userAgent?: string } }).navigator;
  return `${__MATRIX_RUNTIME__} (${navigatorLike?.userAgent ?? 'no navigator.userAgent'})`;
}

/**
 * Collects one test file, runs it, and streams the lines to `print`. Each file runs in a fresh
 * realm (process, isolate or worker), as vitest isolates files, so no module state leaks.
 */
export async function runTestFile(name: string, load: LoadTestFile, print: LineSink): Promise<MatrixReport> {
  await collectFile(name, load);
  return runCollected(runtimeDescription(), print);
}
