// The devtools relay: a WebSocket endpoint that passes every message to every other client, so a
// Node, Deno, Bun or edge process (webSocketDevtoolsChannel) reaches the devtools app.
import { WebSocketServer } from 'ws';

/** The path of the relay on the server that serves the devtools. */
export const RELAY_PATH = '/eventwire-devtools';

/** Attaches the relay to an HTTP server; returns a function that closes it and its connections. */
export function attachDevtoolsRelay(httpServer) {
  const relay = new WebSocketServer({ noServer: true });
  httpServer.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://relay').pathname !== RELAY_PATH) return; // Vite's HMR socket, for instance
    relay.handleUpgrade(request, socket, head, (client) => relay.emit('connection', client, request));
  });
  relay.on('connection', (client) => {
    client.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      for (const other of relay.clients) if (other !== client && other.readyState === 1) other.send(text);
    });
  });
  return () => {
    for (const client of relay.clients) client.terminate();
    relay.close();
  };
}

/** The relay as a Vite plugin, on the dev server and on `vite preview`. */
export function devtoolsRelay() {
  return {
    name: 'eventwire-devtools-relay',
    configureServer(server) {
      if (server.httpServer) attachDevtoolsRelay(server.httpServer);
    },
    configurePreviewServer(server) {
      if (server.httpServer) attachDevtoolsRelay(server.httpServer);
    },
  };
}
