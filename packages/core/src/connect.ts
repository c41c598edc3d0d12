import { BoundedIdSet } from './boundedIdSet.js';
import { EventwireError, serializeError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { EventBus, PublishOptions, PublishResult, Unsubscribe } from './eventBus.js';
import type { EventRegistry } from './registry.js';
import { runtime } from './runtimeGlobals.js';
import { SendQueue } from './sendQueue.js';
import type { PeerInfo } from './inspection.js';
import type { BatchOutcome, IncomingBatch, PayloadProblem, Transport } from './transport.js';

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Decodes every incoming payload; anything it refuses is rejected and reported. */
  registry: EventRegistry;
  /**
   * Which events cross this connection, in either direction. Events it refuses are not sent,
   * and incoming ones are acknowledged without being published.
   * @default every event
   */
  filter?: (event: AnyEvent, direction: 'in' | 'out') => boolean;
  /**
   * At most this many events per outgoing batch.
   * @default 1000
   */
  maxBatchSize?: number;
  /**
   * How long to collect outgoing events before sending them. By default a batch leaves at the
   * end of the current microtask queue: a synchronous burst costs one message, a lone event
   * waits for nothing.
   */
  batchDelayMs?: number;
  /**
   * How many recent event ids are remembered to drop duplicates and echoes.
   * @default 10000
   */
  dedupeCapacity?: number;
  /**
   * Whether `close()` also closes the transport.
   * @default true
   */
  closeTransport?: boolean;
  /** Called when the transport fails to send a batch; by default it is logged. */
  onSendError?: (error: unknown, events: readonly AnyEvent[]) => void;
}

/** Counters of one {@link Connection}. */
export interface ConnectionStats {
  /** Events handed to the transport. */
  readonly sent: number;
  /** Calls to `transport.send`: far fewer than `sent` when bursts are batched. */
  readonly sentBatches: number;
  /** Outgoing events lost because the transport failed to send them. */
  readonly sendErrors: number;
  /** Incoming events decoded and published on the bus. */
  readonly received: number;
  /** Batches that arrived. */
  readonly receivedBatches: number;
  /** Incoming events dropped because their id was seen already (redeliveries, echoes). */
  readonly duplicates: number;
  /** Incoming payloads that failed to decode: invalid, forged or of an unknown type. */
  readonly rejected: number;
  /** Incoming events whose handlers failed. */
  readonly failed: number;
  /** Events the filter kept from crossing, in either direction. */
  readonly filtered: number;
}

/** A bus joined to a transport; see {@link connect}. */
export interface Connection {
  readonly transport: Transport;
  /** The counters, as of now. */
  readonly stats: ConnectionStats;
  /** Sends the events still queued; resolves when the transport has taken them. */
  flush(): Promise<void>;
  /** Sends what is queued, stops relaying both ways and (by default) closes the transport. */
  close(): Promise<void>;
}

type MutableStats = { -readonly [K in keyof ConnectionStats]: number };

/**
 * Joins a bus to another context through a transport: events published on the bus go out,
 * events from elsewhere are published on the bus. Incoming payloads are decoded through the
 * registry (whatever it refuses is counted, reported as a `rejected` inspection record and
 * never reaches a handler), deduplicated by event id, and never echoed back out. Outgoing
 * events are batched, so a burst costs few messages.
 *
 * @param bus the local bus
 * @param transport the way to the other contexts
 * @param options the registry to decode with, and tuning
 * @returns the connection, with `stats`, `flush()` and `close()`
 *
 * @example
 * ```ts
 * const registry = new EventRegistry([OrderPlaced, OrderShipped]);
 * const connection = connect(bus, createBroadcastTransport({ app: 'shop' }), { registry });
 * await bus.publish(OrderPlaced.create({ customerName: 'Alice', totalAmount: 99.99 })); // every tab sees it
 * console.log(connection.stats.rejected);
 * await connection.close();
 * ```
 */
export function connect(bus: EventBus, transport: Transport, options: ConnectOptions): Connection {
  if (typeof options?.registry?.safeDecode !== 'function') {
    throw new EventwireError('INVALID_ARGUMENT', 'connect: options.registry must be an EventRegistry, which decodes every incoming event');
  }
  return new TransportConnection(bus, transport, options);
}

class TransportConnection implements Connection {
  readonly transport: Transport;
  readonly #bus: EventBus;
  readonly #registry: EventRegistry;
  readonly #filter: ConnectOptions['filter'];
  readonly #known: BoundedIdSet;
  readonly #peers = new BoundedIdSet(1000);
  readonly #queue: SendQueue;
  readonly #closeTransport: boolean;
  readonly #onSendError: (error: unknown, events: readonly AnyEvent[]) => void;
  readonly #stats: MutableStats = { sent: 0, sentBatches: 0, sendErrors: 0, received: 0, receivedBatches: 0, duplicates: 0, rejected: 0, failed: 0, filtered: 0 };
  readonly #stopRelayingOut: Unsubscribe;
  readonly #stopReceiving: Unsubscribe;
  /** Settles when the batch being handled is done; `undefined` while none is. */
  #inbox: Promise<void> | undefined;
  /** The incoming events being published, and how many of them have come past `#relayOut`. */
  #incoming: readonly AnyEvent[] | undefined;
  #incomingSeen = 0;
  #closing: Promise<void> | undefined;

  constructor(bus: EventBus, transport: Transport, options: ConnectOptions) {
    this.transport = transport;
    this.#bus = bus;
    this.#registry = options.registry;
    this.#filter = options.filter;
    this.#known = new BoundedIdSet(options.dedupeCapacity ?? 10_000);
    this.#closeTransport = options.closeTransport ?? true;
    this.#onSendError = options.onSendError ?? logSendError(transport.name);
    this.#queue = new SendQueue({
      send: (batch) => this.#send(batch),
      maxBatchSize: options.maxBatchSize ?? 1000,
      delayMs: options.batchDelayMs,
    });
    const relayOut = (event: AnyEvent): void => this.#relayOut(event);
    this.#stopRelayingOut = bus.subscribeToAllEvents(relayOut, { name: `connect:${transport.name}` });
    this.#stopReceiving = transport.receive((batch) => this.#enqueueIncoming(batch));
  }

  get stats(): ConnectionStats {
    return { ...this.#stats };
  }

  flush(): Promise<void> {
    return this.#queue.flush();
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#stopRelayingOut();
    await this.#queue.flush();
    this.#stopReceiving();
    await this.#inbox;
    if (this.#closeTransport) await this.transport.close();
  }

  // ---------------------------------------------------------------- outgoing

  #relayOut(event: AnyEvent): void {
    if (this.#closing !== undefined) return;
    // The bus hands the incoming events back in order: they are known already, no lookup needed.
    if (event === this.#incoming?.[this.#incomingSeen]) {
      this.#incomingSeen++;
      return;
    }
    if (this.#filter !== undefined) {
      if (this.#known.has(event.id)) return;
      if (!this.#filter(event, 'out')) {
        this.#stats.filtered++;
        return;
      }
    }
    // Known ids came in from a transport (never echo them back) or went out already.
    if (!this.#known.add(event.id)) return;
    this.#queue.push(event);
  }

  #send(batch: readonly AnyEvent[]): Promise<void> {
    this.#stats.sentBatches++;
    let sending: Promise<void>;
    try {
      // Promise.resolve: a transport whose send returns nothing still counts as having sent.
      sending = Promise.resolve(this.transport.send(batch));
    } catch (error) {
      sending = Promise.reject(error);
    }
    return sending.then(
      () => this.#sent(batch),
      (error: unknown) => this.#sendFailed(error, batch),
    );
  }

  #sent(batch: readonly AnyEvent[]): void {
    this.#stats.sent += batch.length;
    this.#bus.report({ type: 'transport', direction: 'out', transport: this.transport.name, eventIds: batch.map(idOf) });
  }

  #sendFailed(error: unknown, batch: readonly AnyEvent[]): void {
    this.#stats.sendErrors += batch.length;
    try {
      this.#onSendError(error, batch);
    } catch (thrown) {
      runtime.console.error('[eventwire] onSendError threw', thrown);
    }
  }

  // ---------------------------------------------------------------- incoming

  /**
   * Batches are handled one after another, so events keep the order they were sent in. A batch
   * that finds none in progress (the usual case) is decoded and published at once.
   */
  #enqueueIncoming(batch: IncomingBatch): Promise<BatchOutcome> {
    const previous = this.#inbox;
    const outcome = previous === undefined ? this.#handleIncomingSafely(batch) : previous.then(() => this.#handleIncomingSafely(batch));
    const done = (): void => {
      if (this.#inbox === settled) this.#inbox = undefined;
    };
    const settled = outcome.then(done, done);
    this.#inbox = settled;
    return outcome;
  }

  #handleIncomingSafely(batch: IncomingBatch): Promise<BatchOutcome> {
    try {
      return this.#handleIncoming(batch);
    } catch (error) {
      // A filter that throws: the batch's outcome is a rejection, as from any failing receiver.
      return Promise.reject(error);
    }
  }

  #handleIncoming(batch: IncomingBatch): Promise<BatchOutcome> {
    this.#stats.receivedBatches++;
    this.#notePeer(batch?.from);
    const payloads: readonly unknown[] = Array.isArray(batch?.payloads) ? batch.payloads : [batch?.payloads];
    const handled: number[] = [];
    const rejected: PayloadProblem[] = [];
    const accepted: AnyEvent[] = [];
    const acceptedIndices: number[] = [];
    for (let index = 0; index < payloads.length; index++) {
      const event = this.#decode(payloads[index], index, rejected);
      if (event === undefined) continue;
      if (!this.#known.add(event.id)) {
        this.#stats.duplicates++;
        handled.push(index);
      } else if (this.#filter !== undefined && !this.#filter(event, 'in')) {
        this.#stats.filtered++;
        handled.push(index);
      } else {
        accepted.push(event);
        acceptedIndices.push(index);
      }
    }
    if (accepted.length === 0) return Promise.resolve({ handled, failed: [], rejected });
    return this.#publishIncoming(accepted, acceptedIndices, batch, { handled, failed: [], rejected });
  }

  /** The first batch from a peer makes it appear in the devtools' topology. */
  #notePeer(peer: PeerInfo | undefined): void {
    if (peer === undefined || typeof peer.id !== 'string' || !this.#peers.add(peer.id)) return;
    this.#bus.report({ type: 'peer', peer, status: 'joined' });
  }

  #decode(payload: unknown, index: number, rejected: PayloadProblem[]): AnyEvent | undefined {
    let error: unknown;
    try {
      const result = this.#registry.safeDecode(payload);
      if (result.ok) return result.event;
      error = result.error;
    } catch (thrown) {
      // A schema that throws instead of returning issues is still bad input, not a crash.
      error = new EventwireError('MESSAGE_REJECTED', 'An incoming payload could not be decoded', { cause: thrown });
    }
    const serialized = serializeError(error);
    this.#stats.rejected++;
    rejected.push({ index, error: serialized });
    this.#bus.report({ type: 'rejected', source: this.transport.name, error: serialized });
    return undefined;
  }

  /** Publishes the accepted events of a batch; the outcome lists those a handler failed on. */
  #publishIncoming(events: readonly AnyEvent[], indices: readonly number[], batch: IncomingBatch, outcome: OutcomeLists): Promise<BatchOutcome> {
    this.#bus.report({ type: 'transport', direction: 'in', transport: this.transport.name, eventIds: events.map(idOf), peer: batch?.from });
    // `source` is understood by InMemoryEventBus (and shown by the devtools); other buses ignore it.
    const publishOptions: PublishOptions & { background?: false; source: string } = { errors: 'isolate', source: this.transport.name };
    // Until the publish settles, the bus hands these events back to #relayOut (later ones only
    // after an earlier one's async handlers): they are recognised there as incoming.
    this.#incoming = events;
    this.#incomingSeen = 0;
    let publishing: Promise<PublishResult>;
    try {
      publishing = this.#bus.publish(events, publishOptions);
    } catch (error) {
      publishing = Promise.reject(error);
    }
    return publishing.then(
      (result) => this.#settleIncoming(events, indices, outcome, failuresOf(result, events)),
      (error: unknown) => this.#settleIncoming(events, indices, outcome, everyEventFailed(events, error)),
    );
  }

  #settleIncoming(events: readonly AnyEvent[], indices: readonly number[], outcome: OutcomeLists, failedErrors: Map<string, unknown> | undefined): BatchOutcome {
    this.#incoming = undefined;
    this.#stats.received += events.length;
    const { handled, failed } = outcome;
    const before = handled.length;
    for (let i = 0; i < events.length; i++) {
      const id = events[i]!.id;
      if (failedErrors?.has(id) !== true) {
        handled.push(indices[i]!);
        continue;
      }
      // Forget it, so that a redelivery is handled again rather than dropped as a duplicate.
      this.#known.delete(id);
      this.#stats.failed++;
      failed.push({ index: indices[i]!, error: serializeError(failedErrors.get(id)) });
    }
    // Accepted indices come in order; duplicates and filtered ones were listed before them.
    if (before > 0) handled.sort((a, b) => a - b);
    return outcome;
  }
}

/** The lists of a batch's outcome, filled as the batch is handled. */
type OutcomeLists = { handled: number[]; failed: PayloadProblem[]; rejected: PayloadProblem[] };

/** The first error of each event a handler failed on; every event failed when the result is not a publish result. */
function failuresOf(result: PublishResult, events: readonly AnyEvent[]): Map<string, unknown> | undefined {
  let failedErrors: Map<string, unknown> | undefined;
  try {
    for (const failure of result.failures) {
      failedErrors ??= new Map();
      if (!failedErrors.has(failure.event.id)) failedErrors.set(failure.event.id, failure.error);
    }
  } catch (error) {
    return everyEventFailed(events, error);
  }
  return failedErrors;
}

function everyEventFailed(events: readonly AnyEvent[], error: unknown): Map<string, unknown> {
  return new Map(events.map((event) => [event.id, error]));
}

function idOf(event: AnyEvent): string {
  return event.id;
}

function logSendError(name: string): (error: unknown, events: readonly AnyEvent[]) => void {
  return (error, events) => runtime.console.error(`[eventwire] transport "${name}" failed to send ${events.length} event(s)`, error);
}
