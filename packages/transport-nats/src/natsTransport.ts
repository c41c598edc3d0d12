import { EventwireError, type AnyEvent, type Transport, type Unsubscribe } from '@eventwire/core';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { NoRespondersError, type NatsConnection, type Status } from '@nats-io/nats-core';
import { readDeadLetters, replayDeadLetter, type NatsDeadLetter } from './deadLetters.js';
import { JetStreamConsumer, type BatchReceiver } from './jetStreamConsumer.js';
import { resolveNatsConfig, type NatsTransportOptions, type ResolvedNatsConfig } from './natsConfig.js';
import { createNatsStats, type NatsTransportStats } from './natsStats.js';
import { ensureStreams } from './streamSetup.js';
import { readStreamInfo, type NatsStreamInfo } from './streamInfo.js';
import { subjectOf } from './subjects.js';
import { encodeEvent, newBatchId, senderBatchHeaders } from './wireFormat.js';

/** Publishes in flight at once within one `send`. */
const publishWindow = 1_000;

/**
 * eventwire over NATS JetStream, on any connection (TCP in Node, WebSocket in browsers and edge
 * runtimes). `send` publishes each event as CloudEvents JSON on `<prefix>.<aggregateType>.<type>`
 * with `Nats-Msg-Id` = event id, so re-sending within the duplicate window stores nothing new.
 * `receive` consumes a durable pull consumer: acks after the handlers settle, naks failures for
 * redelivery, and after `maxDeliver` deliveries (or at once for undecodable, forged or rejected
 * messages) moves the message to the dead-letter stream with the reason.
 *
 * @example
 * ```ts
 * import { connect as natsConnect } from '@nats-io/transport-node';
 * const transport = new NatsJetStreamTransport({ connection: await natsConnect({ servers: '127.0.0.1:4222' }), durable: 'billing', filter: 'Order.*' });
 * const disconnect = connect(bus, transport, { registry });
 * ```
 */
export class NatsJetStreamTransport implements Transport {
  readonly name: string;
  readonly #config: ResolvedNatsConfig;
  readonly #connection: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #stats = createNatsStats();
  #manager: Promise<JetStreamManager> | undefined;
  #streams: Promise<void> | undefined;
  #consumer: { instance: JetStreamConsumer; started: Promise<void> } | undefined;
  readonly #stopping = new Set<Promise<void>>();
  readonly #statuses: AsyncIterable<Status>;
  #closed = false;

  constructor(options: NatsTransportOptions) {
    this.#config = resolveNatsConfig(options);
    this.name = this.#config.name;
    this.#connection = options.connection;
    this.#js = jetstream(this.#connection);
    this.#statuses = this.#connection.status();
    void this.#countReconnections(this.#statuses);
  }

  /** The resolved configuration. */
  get config(): Readonly<ResolvedNatsConfig> {
    return this.#config;
  }

  /**
   * Publishes each event on its subject, de-duplicated by event id; resolves once all are
   * stored. If the stream has vanished (deleted, or lost by a restarted server), it is created
   * again and the events re-sent once: the duplicate window keeps that idempotent.
   */
  async send(events: readonly AnyEvent[]): Promise<void> {
    this.#assertOpen();
    if (events.length === 0) return;
    await this.#ensureStreams();
    const batchId = newBatchId();
    try {
      await this.#publish(events, batchId);
    } catch (error) {
      if (!isNoResponders(error)) throw error;
      this.#streams = undefined; // no stream listens on the subject any more
      await this.#ensureStreams();
      await this.#publish(events, batchId);
    }
  }

  async #publish(events: readonly AnyEvent[], batchId: string): Promise<void> {
    const { subjectPrefix, source, deduplicate } = this.#config;
    for (let start = 0; start < events.length; start += publishWindow) {
      const acks = await Promise.all(
        events.slice(start, start + publishWindow).map((event) =>
          this.#js.publish(subjectOf(subjectPrefix, event), encodeEvent(event, source), { headers: senderBatchHeaders(batchId), ...(deduplicate ? { msgID: event.id } : {}) }),
        ),
      );
      for (const ack of acks) this.#stats[ack.duplicate ? 'duplicatesRefused' : 'eventsPublished'] += 1;
    }
  }

  /** Starts consuming the durable consumer. One receiver at a time. */
  receive(handler: BatchReceiver): Unsubscribe {
    this.#assertOpen();
    if (this.#consumer !== undefined) throw new EventwireError('INVALID_ARGUMENT', `${this.name} already has a receiver: remove it first`);
    const instance = new JetStreamConsumer({ connection: this.#connection, js: this.#js, jsm: () => this.#jsm() }, this.#config, this.#stats, handler);
    const started = this.#ensureStreams().then(() => instance.start());
    started.catch((error: unknown) => this.#config.onError?.(error));
    const current = { instance, started };
    this.#consumer = current;
    return () => {
      if (this.#consumer === current) this.#consumer = undefined;
      const stopping = started.catch(() => undefined).then(() => instance.stop());
      this.#stopping.add(stopping);
      void stopping.finally(() => this.#stopping.delete(stopping));
    };
  }

  /**
   * Resolves once the streams and the durable consumer exist and the receiver is pulling (or
   * rejects with the setup error). Useful before publishing with `startFrom: 'new'`.
   */
  async ready(): Promise<void> {
    await this.#ensureStreams();
    await this.#consumer?.started;
  }

  /** Stops consuming (the batch in progress is settled first); closes the connection only if told to. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const consumer = this.#consumer;
    this.#consumer = undefined;
    await consumer?.started.catch(() => undefined);
    await consumer?.instance.stop();
    await Promise.all(this.#stopping);
    await this.#streams?.catch(() => undefined);
    // The client's status iterator has stop(); without it the listener outlives a borrowed connection.
    (this.#statuses as { stop?: () => void }).stop?.();
    if (this.#config.closeConnection) await this.#connection.close();
  }

  /** Counters: published, duplicates refused, consumed, redeliveries, ok / failed, dead-lettered, ... */
  getStats(): NatsTransportStats {
    return { ...this.#stats };
  }

  /** The stream's message count, this durable consumer's backlog, and the dead-letter count. */
  async getStreamInfo(): Promise<NatsStreamInfo> {
    await this.#ensureStreams();
    return readStreamInfo(await this.#jsm(), this.#config);
  }

  /** Dead letters, oldest first. */
  async listDeadLetters(options: { limit?: number } = {}): Promise<NatsDeadLetter[]> {
    await this.#ensureStreams();
    return readDeadLetters(await this.#jsm(), this.#config, options.limit ?? 100);
  }

  /**
   * Publishes a dead letter again on its original subject and removes it from the dead letters.
   * @throws {EventwireError} `DEAD_LETTER_NOT_FOUND`
   */
  async replayDeadLetter(seq: number): Promise<NatsDeadLetter> {
    await this.#ensureStreams();
    return replayDeadLetter(this.#js, await this.#jsm(), this.#config, seq);
  }

  #jsm(): Promise<JetStreamManager> {
    return (this.#manager ??= jetstreamManager(this.#connection));
  }

  #ensureStreams(): Promise<void> {
    this.#streams ??= this.#jsm()
      .then((jsm) => ensureStreams(jsm, this.#config))
      .catch((error: unknown) => {
        this.#streams = undefined;
        throw new EventwireError('TRANSPORT_FAILED', `Could not set up the JetStream streams ${this.#config.stream} and ${this.#config.deadLetterStream}`, { cause: error });
      });
    return this.#streams;
  }

  async #countReconnections(statuses: AsyncIterable<Status>): Promise<void> {
    for await (const status of statuses) {
      if (status.type === 'reconnect') this.#stats.reconnections += 1;
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new EventwireError('TRANSPORT_CLOSED', `${this.name} is closed`);
  }
}

/** Whether nothing listened on the subject: the client wraps `NoRespondersError` in other errors. */
function isNoResponders(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof NoRespondersError) return true;
  }
  return false;
}

/**
 * Creates a {@link NatsJetStreamTransport}.
 *
 * @example
 * ```ts
 * const transport = createNatsTransport({ connection: await wsconnect({ servers: 'wss://nats.example.com' }), durable: `tab-${crypto.randomUUID()}` });
 * ```
 */
export function createNatsTransport(options: NatsTransportOptions): NatsJetStreamTransport {
  return new NatsJetStreamTransport(options);
}
