// Starts a TypeScript child process (tsx, workspace sources) and reads its JSON lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface JsonChild {
  readonly process: ChildProcess;
  /** Every JSON line printed so far. */
  readonly lines: Record<string, unknown>[];
  /** Resolves with the first line that has `key`. */
  waitFor(key: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
}

export function startChild(file: URL, env: Record<string, string>): JsonChild {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@eventwire/source', fileURLToPath(file)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: { key: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.key in line)) waiter.resolve(line);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    lines,
    exited,
    waitFor(key, timeoutMs = 60_000) {
      const found = lines.find((line) => key in line);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child did not print "${key}" within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ key, resolve: (line) => (clearTimeout(timer), resolve(line)) });
        void exited.then((code) => reject(new Error(`child exited (${code}) before printing "${key}"`)));
      });
    },
  };
}
