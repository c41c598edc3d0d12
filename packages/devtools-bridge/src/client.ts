import { nanoid } from 'nanoid';
import { EventwireError, type Unsubscribe } from '@eventwire/core';
import type { DevtoolsChannel } from './channel.js';
import { PROTOCOL_VERSION, decodeBridgeMessage, type BridgeMessage, type CommandInit, type DevtoolsCommand } from './protocol.js';
import { parseSession, sessionMessages, type DevtoolsSession } from './session.js';

/**
 * What the devtools UI reads from: a live channel or a saved session, behind one interface
 * (vitest's UI does the same with its ws and static clients).
 */
export interface DevtoolsClient {
  readonly mode: 'live' | 'static';
  /** Receives bridge messages. A static client replays its session to each new listener. */
  subscribe(listener: (message: BridgeMessage) => void): Unsubscribe;
  /**
   * Sends a command to the bridges; does nothing on a static client.
   * @returns the command id, to match the `result` or `history` answer
   */
  send(command: CommandWithoutId): string;
  close(): void;
}

/** A command as the UI writes it: the protocol version and command id are added. */
export type CommandWithoutId = CommandInit extends infer C ? (C extends { commandId: string } ? Omit<C, 'commandId'> : C) : never;

/**
 * A client of live bridges: asks who is there and connects to all of them, and to every
 * bridge that says hello later.
 * @param onProtocolError called with messages of another protocol version, which are dropped
 * @example
 * ```ts
 * const client = createLiveClient(broadcastDevtoolsChannel());
 * client.subscribe((message) => model.apply(message));
 * ```
 */
export function createLiveClient(channel: DevtoolsChannel, onProtocolError?: (error: unknown) => void): DevtoolsClient {
  const listeners = new Set<(message: BridgeMessage) => void>();
  const connected = new Set<string>();
  const send = (command: CommandWithoutId): string => {
    const commandId = nanoid(8);
    channel.send({ commandId, ...command, protocol: PROTOCOL_VERSION } as DevtoolsCommand);
    return commandId;
  };
  const stop = channel.onMessage((raw) => {
    let message: BridgeMessage | undefined;
    try {
      message = decodeBridgeMessage(raw);
    } catch (error) {
      onProtocolError?.(error);
      return;
    }
    if (message === undefined) return;
    // A bridge that starts (or restarts) after us: connect to it as well.
    if (message.kind === 'hello' && !connected.has(message.sourceId)) {
      connected.add(message.sourceId);
      send({ kind: 'connect', target: message.sourceId });
    }
    if (message.kind === 'bye') connected.delete(message.sourceId);
    for (const listener of listeners) listener(message);
  });
  send({ kind: 'discover', target: '*' });
  return {
    mode: 'live',
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    send,
    close() {
      stop();
      listeners.clear();
    },
  };
}

/**
 * A client over an exported session: the UI shows it exactly as it showed the live bus.
 * @param session a session object or its JSON text
 * @throws {EventwireError} `DEVTOOLS_PROTOCOL_MISMATCH` or `INVALID_ARGUMENT` for a file that is not a session
 * @example
 * ```ts
 * const client = createStaticClient(await file.text());
 * ```
 */
export function createStaticClient(session: DevtoolsSession | string): DevtoolsClient {
  const parsed = parseSession(typeof session === 'string' ? parseJson(session) : session);
  const messages = sessionMessages(parsed);
  return {
    mode: 'static',
    subscribe(listener) {
      for (const message of messages) listener(message);
      return () => {};
    },
    send: () => '',
    close() {},
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new EventwireError('INVALID_ARGUMENT', `Not a devtools session file: ${(error as Error).message}`);
  }
}
