import type { Unsubscribe } from '@eventwire/core';
import type { DevtoolsMessage } from './protocol.js';

/**
 * The wire between a bridge and a devtools UI: send plain messages, receive them, close.
 * `BroadcastChannel`, an in-page pair and a WebSocket all fit it.
 *
 * @example
 * ```ts
 * const channel = broadcastDevtoolsChannel(); // the devtools tab listens on the same name
 * const connection = connectDevtools(bus, { channel });
 * ```
 */
export interface DevtoolsChannel {
  send(message: DevtoolsMessage): void;
  /** Receives what the other side sent (unchecked: decode it). Returns its removal. */
  onMessage(listener: (message: unknown) => void): Unsubscribe;
  close(): void;
}

/** The BroadcastChannel name the bridges and the standalone devtools use by default. */
export const DEFAULT_CHANNEL_NAME = 'eventwire-devtools';

/**
 * A channel to every page and worker of the same origin (the standalone devtools tab).
 * @param name the BroadcastChannel name
 * @default name `eventwire-devtools`
 * @example
 * ```ts
 * connectDevtools(bus, { channel: broadcastDevtoolsChannel() });
 * ```
 */
export function broadcastDevtoolsChannel(name: string = DEFAULT_CHANNEL_NAME): DevtoolsChannel {
  const channel = new BroadcastChannel(name);
  const listeners = new Set<(message: unknown) => void>();
  channel.onmessage = (event: MessageEvent) => {
    const message = decodeText(event.data);
    for (const listener of listeners) listener(message);
  };
  return {
    // Sent as JSON text: JSON.stringify is cheaper for the sending page than structured clone of
    // thousands of small records, and the receiving tab pays for the parsing.
    send: (message) => channel.postMessage(JSON.stringify(message)),
    onMessage(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close() {
      listeners.clear();
      channel.close();
    },
  };
}

function decodeText(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined; // not ours
  }
}

/**
 * Two connected ends in one page, for the embedded panel: what one end sends, the other
 * receives, asynchronously (a microtask later), as over a real channel.
 * @returns `[bridgeEnd, devtoolsEnd]`
 * @example
 * ```ts
 * const [bridgeEnd, devtoolsEnd] = createInPageChannel();
 * connectDevtools(bus, { channel: bridgeEnd });
 * const client = createLiveClient(devtoolsEnd);
 * ```
 */
export function createInPageChannel(): [DevtoolsChannel, DevtoolsChannel] {
  const a = new Set<(message: unknown) => void>();
  const b = new Set<(message: unknown) => void>();
  return [endOf(a, b), endOf(b, a)];
}

function endOf(mine: Set<(message: unknown) => void>, theirs: Set<(message: unknown) => void>): DevtoolsChannel {
  let closed = false;
  return {
    send(message) {
      if (closed) return;
      queueMicrotask(() => {
        for (const listener of theirs) listener(message);
      });
    },
    onMessage(listener) {
      mine.add(listener);
      return () => void mine.delete(listener);
    },
    close() {
      closed = true;
      mine.clear();
    },
  };
}

/** The part of the WebSocket API the channel uses (browser, Deno, Bun, workerd, `ws`). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'open', listener: () => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/**
 * A channel over a WebSocket, for a Node, Deno, Bun or edge process to reach the devtools app
 * through its relay. Messages are JSON; what is sent before the socket opens is queued.
 * @example
 * ```ts
 * const socket = new WebSocket('ws://127.0.0.1:5174/eventwire-devtools');
 * connectDevtools(bus, { channel: webSocketDevtoolsChannel(socket), kind: 'process', label: 'api' });
 * ```
 */
export function webSocketDevtoolsChannel(socket: WebSocketLike): DevtoolsChannel {
  const OPEN = 1;
  const queue: string[] = [];
  socket.addEventListener('open', () => {
    for (const data of queue.splice(0)) socket.send(data);
  });
  const listeners = new Set<(message: unknown) => void>();
  const onMessage = (event: { data: unknown }): void => {
    if (typeof event.data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(event.data);
    } catch {
      return; // not ours: a relay may carry other traffic
    }
    for (const listener of listeners) listener(message);
  };
  socket.addEventListener('message', onMessage);
  return {
    send(message) {
      const data = JSON.stringify(message);
      if (socket.readyState === OPEN) socket.send(data);
      else queue.push(data);
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close() {
      listeners.clear();
      socket.removeEventListener('message', onMessage);
      socket.close();
    },
  };
}

/**
 * One channel over several: sends to all, receives from all. The standalone devtools listen on
 * BroadcastChannel (pages) and a WebSocket relay (processes) at once.
 * @example
 * ```ts
 * const channel = mergeDevtoolsChannels([broadcastDevtoolsChannel(), webSocketDevtoolsChannel(socket)]);
 * ```
 */
export function mergeDevtoolsChannels(channels: readonly DevtoolsChannel[]): DevtoolsChannel {
  return {
    send: (message) => channels.forEach((channel) => channel.send(message)),
    onMessage(listener) {
      const stops = channels.map((channel) => channel.onMessage(listener));
      return () => stops.forEach((stop) => stop());
    },
    close: () => channels.forEach((channel) => channel.close()),
  };
}
