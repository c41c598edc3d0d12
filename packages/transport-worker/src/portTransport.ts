import { EventwireError, toBatchMessage, unpackEvents, type AnyEvent, type BatchMessage, type BatchOutcome, type IncomingBatch, type PeerInfo, type Transport, type Unsubscribe } from '@eventwire/core';
import { nanoid } from 'nanoid';

/**
 * What a port transport needs of its endpoint: comlink's `Endpoint`, which `MessagePort`,
 * `Worker`, a worker's `self` and Node's `MessagePort` all fit.
 */
export interface PortLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  start?(): void;
}

/** Options of {@link createPortTransport}. */
export interface PortTransportOptions {
  /** The transport's name, shown by the devtools. @default 'port' */
  name?: string;
  /** How this side introduces itself; a random id and `worker` / `tab` by default. */
  peer?: Partial<PeerInfo>;
  /** Called once when the other side says goodbye (its transport closed or its page is going). */
  onPeerClosed?: () => void;
  /** Close the port itself (when it has `close`) on `close()`. @default true */
  closePort?: boolean;
}

/**
 * What goes over the port: a batch as core's `toBatchMessage` builds it (a burst packed as one
 * JSON string, whose structured clone costs far less than that of as many objects; up to 8 events
 * as objects), or the goodbye of a closing side.
 */
type Message = BatchMessage | { readonly eventwire: 1; readonly bye: true };

/**
 * A transport over one postMessage endpoint: a `MessagePort`, a `Worker` or a worker's `self`.
 * A batch is one message (a burst packed as one JSON string, a few events as objects). Incoming
 * data is handed to `connect` as it arrived (wrong shapes included), to be decoded and counted
 * there. Closing tells the other side.
 *
 * @param port the endpoint; use it for nothing else (comlink answers every message it sees)
 * @returns the transport; give it to `connect`
 *
 * @example
 * ```ts
 * // page
 * const { port1, port2 } = new MessageChannel();
 * worker.postMessage({ eventwirePort: port2 }, [port2]);
 * connect(bus, createPortTransport(port1), { registry });
 * ```
 */
export function createPortTransport(port: PortLike, options: PortTransportOptions = {}): Transport {
  return new PortTransport(port, options);
}

class PortTransport implements Transport {
  readonly name: string;
  readonly #port: PortLike;
  readonly #peer: PeerInfo;
  readonly #options: PortTransportOptions;
  #receiver: ((batch: IncomingBatch) => Promise<BatchOutcome>) | undefined;
  #closed = false;

  constructor(port: PortLike, options: PortTransportOptions) {
    this.#port = port;
    this.#options = options;
    this.name = options.name ?? 'port';
    this.#peer = { id: options.peer?.id ?? nanoid(10), kind: options.peer?.kind ?? ('document' in globalThis ? 'tab' : 'worker'), ...(options.peer?.name === undefined ? {} : { name: options.peer.name }) };
    port.addEventListener('message', this.#onMessage);
    port.start?.();
  }

  send(events: readonly AnyEvent[]): Promise<void> {
    if (this.#closed) return Promise.reject(new EventwireError('TRANSPORT_CLOSED', `${this.name} is closed`));
    try {
      this.#port.postMessage(toBatchMessage(this.#peer, events) satisfies Message);
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
    try {
      this.#port.postMessage({ eventwire: 1, bye: true } satisfies Message);
    } catch {
      // The other side is gone already.
    }
    this.#stop();
    if (this.#options.closePort !== false) (this.#port as { close?: () => void }).close?.();
    return Promise.resolve();
  }

  #stop(): void {
    this.#closed = true;
    this.#receiver = undefined;
    this.#port.removeEventListener('message', this.#onMessage);
  }

  readonly #onMessage = (event: { readonly data: unknown }): void => {
    const data = event.data as Record<string, unknown> | null;
    const ours = typeof data === 'object' && data !== null && data['eventwire'] === 1;
    if (ours && data['bye'] === true) {
      this.#options.onPeerClosed?.();
      return;
    }
    const payloads = ours ? unpackEvents(data) : undefined;
    if (payloads === undefined) {
      // Not ours: hand it on whole, so that it is rejected and counted rather than lost silently.
      void this.#receiver?.({ payloads: [data] });
      return;
    }
    const from = data!['from'] as PeerInfo | undefined;
    const wellFormed = typeof from === 'object' && from !== null && typeof from.id === 'string' && typeof from.kind === 'string';
    void this.#receiver?.(wellFormed ? { payloads, from: { id: from.id, kind: from.kind } } : { payloads });
  };
}
