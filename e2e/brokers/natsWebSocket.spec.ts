import { expect, test } from '@playwright/test';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startOwnNats, type OwnNatsServer } from '../../packages/transport-nats/src/__tests__/ownNatsServer.js';

// The test starts its own nats-server with a WebSocket listener (free loopback ports, a config
// file, no TLS). The tab talks WebSocket, a Node process (nodePeer.ts) talks TCP; both are
// buses connected to one JetStream stream through @eventwire/transport-nats. The machine has
// nats-server (Debian's package, as the NATS service the other broker tests use): the test runs
// everywhere and fails, saying so, where the binary is missing.
let server: OwnNatsServer | undefined;
let peer: ChildProcessWithoutNullStreams | undefined;
const lines: Record<string, unknown>[] = [];

test.beforeAll(async () => {
  server = await startOwnNats({ websocket: true });
});

test.afterAll(async () => {
  peer?.kill('SIGKILL');
  await server?.dispose();
});

function startNodePeer(config: { server: string; stream: string; prefix: string }): ChildProcessWithoutNullStreams {
  const file = fileURLToPath(new URL('./nodePeer.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@eventwire/source', file], {
    env: { ...process.env, NODE_PEER_CONFIG: JSON.stringify(config) },
  });
  child.stderr.on('data', (data: Buffer) => process.stderr.write(data));
  createInterface({ input: child.stdout }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text) as Record<string, unknown>);
    } catch {
      // not one of ours
    }
  });
  return child;
}

test('a browser tab over WebSocket and a Node process share one JetStream stream, both ways', async ({ page }) => {
  if (server === undefined) throw new Error('the nats-server did not start');
  const suffix = Date.now().toString(36);
  const stream = `WS_${suffix}`;
  const prefix = `ws.${suffix}`;
  peer = startNodePeer({ server: server.server, stream, prefix });
  await expect.poll(() => lines.some((line) => line.ready === true), { timeout: 30_000 }).toBe(true);

  const query = new URLSearchParams({ ws: server.websocketUrl!, stream, prefix, durable: 'tab' });
  await page.goto(`/brokers/nats.html?${query.toString()}`);
  await expect(page.locator('#status')).toHaveText('ready');

  await page.evaluate(() => (window as unknown as { publishNote(text: string): Promise<void> }).publishNote('hello from the tab'));
  await expect.poll(() => lines.filter((line) => 'received' in line)).toEqual([{ received: { text: 'hello from the tab', from: 'tab' }, rejected: 0 }]);

  peer.stdin.write(`${JSON.stringify({ publish: 'hello from node' })}\n`);
  await expect(page.locator('#received')).toHaveText(JSON.stringify([{ text: 'hello from node', from: 'node' }]));
  peer.stdin.end();
});
