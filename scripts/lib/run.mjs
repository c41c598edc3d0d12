// Small process helpers for the project scripts (no dependencies: they run before npm install).
import { spawn, spawnSync } from 'node:child_process';

/** Runs a command with inherited output; resolves with its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', (error) => {
      console.error(`[eventwire] could not start ${command}: ${error.message}`);
      resolve(127);
    });
  });
}

/** Whether a command exists on PATH. */
export function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
export const isCI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
