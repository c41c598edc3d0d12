// What the tests of both broker transports (NATS, Redis) share: skipping with a printed reason
// (failing under CI instead), free ports, a Redis ping and polling. Node built-ins only, so the
// Playwright specs that start their own broker can load it (they see no workspace sources).
import { createConnection, createServer } from 'node:net';

/** Under CI=true a missing broker fails the run; elsewhere the test skips and prints why. */
export function skipOrFailUnderCi(label: string, reason: string): void {
  if (process.env.CI && process.env.CI !== 'false') throw new Error(`CI=true: ${reason}`);
  console.log(`[eventwire] SKIPPED ${label}: ${reason}`);
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether a Redis answers PING at `url`. */
export async function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(2_000, () => (socket.destroy(), resolve(false)));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => (socket.destroy(), resolve(data.toString().includes('PONG'))));
    socket.on('error', () => resolve(false));
  });
}

/** Polls until `check` returns a value other than undefined (no timing is asserted). */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
