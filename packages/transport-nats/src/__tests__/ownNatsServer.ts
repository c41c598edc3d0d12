// A nats-server of the test's own (never the system service): a free loopback port, its own
// JetStream directory, optionally a WebSocket listener, from a config file. The test may kill
// and restart it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, skipOrFailUnderCi } from '../../../../test-support/brokers/brokerTests.js';

export interface OwnNatsServer {
  /** `127.0.0.1:<port>` for TCP clients. */
  readonly server: string;
  /** `ws://127.0.0.1:<port>` when started with a WebSocket listener. */
  readonly websocketUrl: string | undefined;
  kill(): Promise<void>;
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

const binary = process.env.EVENTWIRE_NATS_SERVER ?? '/usr/sbin/nats-server';

/** Whether the nats-server binary is there; prints why not, and under CI fails instead. */
export function natsServerBinaryAvailable(): boolean {
  if (existsSync(binary)) return true;
  const reason = `${binary} is missing, so the test cannot start a nats-server of its own`;
  skipOrFailUnderCi('a test that starts its own broker', reason);
  return false;
}

export async function startOwnNats(options: { websocket?: boolean } = {}): Promise<OwnNatsServer> {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: install Debian's nats-server (or set EVENTWIRE_NATS_SERVER) to start a nats-server of the test's own`);
  const port = await freePort();
  const websocketPort = options.websocket ? await freePort() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'eventwire-nats-'));
  const config = [
    `host: 127.0.0.1`,
    `port: ${port}`,
    `jetstream { store_dir: "${join(dir, 'jetstream')}" }`,
    ...(websocketPort === undefined ? [] : [`websocket { host: 127.0.0.1, port: ${websocketPort}, no_tls: true }`]),
  ].join('\n');
  const configFile = join(dir, 'nats.conf');
  writeFileSync(configFile, `${config}\n`);
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(binary, ['-c', configFile, '-l', join(dir, 'nats.log')], { stdio: 'ignore' });
    await waitForJetStream(port);
  };
  const kill = async () => {
    const running = child;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    server: `127.0.0.1:${port}`,
    websocketUrl: websocketPort === undefined ? undefined : `ws://127.0.0.1:${websocketPort}`,
    kill,
    restart: start,
    async dispose() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForJetStream(port: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const greeting = await new Promise<string>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.setTimeout(1_000, () => (socket.destroy(), resolve('')));
      socket.on('data', (data) => (socket.destroy(), resolve(data.toString())));
      socket.on('error', () => resolve(''));
    });
    if (greeting.includes('"jetstream":true')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nats-server on port ${port} did not come up with JetStream`);
}
