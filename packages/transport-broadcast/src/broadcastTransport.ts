import { EventwireError, openBroadcastChannel, toBatchMessage, type AnyEvent, type BatchOutcome, type BroadcastChannelLike, type IncomingBatch, type PeerInfo, type Transport, type Unsubscribe } from '@eventwire/core';
import { nanoid } from 'nanoid';
import { toIncomingBatch } from './broadcastMessage.js';

/** Options of {@link createBroadcastTransport}. */
export interface BroadcastTransportOptions {
  /** The application's name: contexts of one app share the channel `eventwire:<app>`. */
  app: string;
  /** The full channel name, when `eventwire:<app>` does not suit. */
  channel?: string;
  /** How this context introduces itself to the others; a random id and `tab` / `worker` by default. */
  peer?: Partial<PeerInfo>;
}

/** A {@link Transport} over one BroadcastChannel, with the channel's name and this context's identity. */
export interface BroadcastTransport extends Transport {
  readonly channelName: string;
  readonly peer: PeerInfo;
}

/**
 * A transport between the tabs, iframes and workers of one origin, over a `BroadcastChannel`
 * named after the app. A batch is one message; the sender does not hear itself. Incoming data
 * is passed to `connect` as it arrived (wrong shapes included), to be decoded and counted there.
 *
 * @param options the app name (the channel is `eventwire:<app>`), and this context's identity
 * @returns the transport; give it to `connect`
 * @throws {EventwireError} `UNSUPPORTED_RUNTIME` where there is no BroadcastChannel (workerd)
 *
 * @example
 * ```ts
 * const transport = createBroadcastTransport({ app: 'shop' });
 * const connection = connect(bus, transport, { registry });
 * ```
 */
export function createBroadcastTransport(options: BroadcastTransportOptions): BroadcastTransport {
  if (typeof options?.app !== 'string' || options.app === '') {
    throw new EventwireError('INVALID_ARGUMENT', 'createBroadcastTransport: options.app must name the application, e.g. { app: "shop" }');
  }
  const channelName = options.channel ?? `eventwire:${options.app}`;
  return new BroadcastChannelTransport(openBroadcastChannel(channelName), channelName, peerOf(options.peer));
}

class BroadcastChannelTransport implements BroadcastTransport {
  readonly name: string;
  readonly channelName: string;
  readonly peer: PeerInfo;
  readonly #channel: BroadcastChannelLike;
  #receiver: ((batch: IncomingBatch) => Promise<BatchOutcome>) | undefined;
  #closed = false;

  constructor(channel: BroadcastChannelLike, channelName: string, peer: PeerInfo) {
    this.#channel = channel;
    this.channelName = channelName;
    this.name = `broadcast:${channelName}`;
    this.peer = peer;
    channel.addEventListener('message', this.#onMessage);
    // A message that cannot be deserialized here still counts as rejected input.
    (channel as unknown as EventTarget).addEventListener?.('messageerror', this.#onMessageError);
  }

  send(events: readonly AnyEvent[]): Promise<void> {
    if (this.#closed) return Promise.reject(new EventwireError('TRANSPORT_CLOSED', `${this.name} is closed`));
    try {
      this.#channel.postMessage(toBatchMessage(this.peer, events));
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(new EventwireError('TRANSPORT_FAILED', `${this.name} could not post ${events.length} event(s)`, { cause: error }));
    }
  }

  receive(handler: (batch: IncomingBatch) => Promise<BatchOutcome>): Unsubscribe {
    this.#receiver = handler;
    return () => {
      if (this.#receiver === handler) this.#receiver = undefined;
    };
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#receiver = undefined;
    this.#channel.removeEventListener('message', this.#onMessage);
    (this.#channel as unknown as EventTarget).removeEventListener?.('messageerror', this.#onMessageError);
    this.#channel.close();
    return Promise.resolve();
  }

  readonly #onMessage = (event: { readonly data: unknown }): void => {
    // BroadcastChannel cannot redeliver, so the outcome is not needed here.
    void this.#receiver?.(toIncomingBatch(event.data));
  };

  readonly #onMessageError = (): void => {
    void this.#receiver?.({ payloads: [undefined] });
  };
}

function peerOf(peer: Partial<PeerInfo> | undefined): PeerInfo {
  const kind = peer?.kind ?? ('document' in globalThis ? 'tab' : 'worker');
  const base = { id: peer?.id ?? nanoid(10), kind };
  return peer?.name === undefined ? base : { ...base, name: peer.name };
}
