// Makes sure the brokers the broker tests need are up: Redis on 127.0.0.1:6379 and NATS with
// JetStream on 127.0.0.1:4222. A broker that does not answer is started with this machine's
// own command, then awaited. Under CI a broker that still cannot be reached fails the run;
// locally the broker tests skip, and this says why.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { isCI, isRoot } from './run.mjs';

const redis = {
  name: 'Redis',
  host: '127.0.0.1',
  port: 6379,
  probe: probeRedis,
  dirs: ['/var/lib/redis', '/var/log/redis'],
  command: ['redis-server', '--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', '', '--appendonly', 'no', '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log'],
};

const nats = {
  name: 'NATS with JetStream',
  host: '127.0.0.1',
  port: 4222,
  probe: probeNats,
  dirs: ['/var/lib/nats-server'],
  command: ['start-stop-daemon', '--start', '--oknodo', '--background', '--exec', '/usr/sbin/nats-server', '--', '-a', '127.0.0.1', '-p', '4222', '-js', '-sd', '/var/lib/nats-server', '-l', '/var/log/nats-server.log'],
};

/**
 * Checks both brokers, starts the missing ones, waits until they answer.
 * @returns the brokers that are reachable, by name
 */
export async function ensureBrokers() {
  const problems = [];
  for (const broker of [redis, nats]) {
    const problem = await ensureBroker(broker);
    if (problem !== undefined) problems.push(`${broker.name} (${broker.host}:${broker.port}): ${problem}`);
  }
  if (problems.length === 0) {
    console.log('[eventwire] brokers ready: Redis 127.0.0.1:6379, NATS+JetStream 127.0.0.1:4222');
    return;
  }
  for (const problem of problems) console.log(`[eventwire] broker unavailable: ${problem}`);
  if (isCI) throw new Error(`[eventwire] CI=true and a broker is unreachable:\n  ${problems.join('\n  ')}`);
  console.log('[eventwire] SKIPPED: the broker tests of that broker will skip (not CI), each printing this reason');
}

async function ensureBroker(broker) {
  const first = await broker.probe(broker);
  if (first.ok) return undefined;
  console.log(`[eventwire] ${broker.name} not answering (${first.reason}); starting: ${broker.command.map(quote).join(' ')}`);
  if (!isRoot) return `${first.reason}; not root, so it was not started`;
  for (const dir of broker.dirs) mkdirSync(dir, { recursive: true });
  const started = spawnSync(broker.command[0], broker.command.slice(1), { stdio: 'inherit' });
  if (started.error !== undefined) return `could not run ${broker.command[0]}: ${started.error.message}`;
  if (started.status !== 0) return `${broker.command[0]} exited with ${started.status}`;
  return waitUntilUp(broker, 20_000);
}

async function waitUntilUp(broker, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const result = await broker.probe(broker);
    if (result.ok) return undefined;
    last = result.reason;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return `started but still not answering after ${timeoutMs / 1000}s: ${last}`;
}

/** Sends PING, expects +PONG. */
function probeRedis({ host, port }) {
  return exchange(host, port, 'PING\r\n', (text) => (text.includes('+PONG') ? true : text.includes('\r\n') ? `unexpected answer ${JSON.stringify(text.trim())}` : undefined));
}

/** Reads the INFO line a NATS server sends first; JetStream must be enabled in it. */
function probeNats({ host, port }) {
  return exchange(host, port, undefined, (text) => {
    const line = text.split('\r\n')[0];
    if (!text.includes('\r\n')) return undefined;
    if (!line.startsWith('INFO ')) return `unexpected greeting ${JSON.stringify(line.slice(0, 40))}`;
    const info = JSON.parse(line.slice(5));
    return info.jetstream === true ? true : 'the server runs without JetStream (-js)';
  });
}

/** Opens a TCP connection, optionally writes, and lets `judge` decide from what comes back. */
function exchange(host, port, request, judge) {
  return new Promise((resolve) => {
    let received = '';
    const socket = connect({ host, port });
    const finish = (result) => {
      socket.destroy();
      clearTimeout(timer);
      resolve(result === true ? { ok: true } : { ok: false, reason: result });
    };
    const timer = setTimeout(() => finish('no answer within 2s'), 2_000);
    socket.on('connect', () => request !== undefined && socket.write(request));
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      const verdict = judge(received);
      if (verdict !== undefined) finish(verdict);
    });
    socket.on('error', (error) => finish(error.code ?? error.message));
  });
}

function quote(arg) {
  return arg === '' ? '""' : arg;
}
