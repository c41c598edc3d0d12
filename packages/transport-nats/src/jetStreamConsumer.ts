import { serializeError, type BatchOutcome, type IncomingBatch, type SerializedError } from '@eventwire/core';
import type { Consumer, ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { publishDeadLetter, sourceOfMessage, sourceOfStored, type DeadLetterSource } from './deadLetters.js';
import type { ResolvedNatsConfig } from './natsConfig.js';
import type { MutableNatsStats } from './natsStats.js';
import { delay, MacrotaskBatcher } from './macrotaskBatcher.js';
import { ensureConsumer, ensureStreams } from './streamSetup.js';
import { decodeMessage, senderBatchHeader, undecodablePlaceholder } from './wireFormat.js';

/** Receives a batch of envelopes and says what happened to each. */
export type BatchReceiver = (batch: IncomingBatch) => Promise<BatchOutcome>;

interface Clients {
  readonly connection: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: () => Promise<JetStreamManager>;
}

/**
 * One process's share of a durable pull consumer. After the receiver settles a batch, each
 * message is acked, nak'ed for redelivery, or dead-lettered and terminated. A queue
 * subscription to the max-deliveries advisory dead-letters messages whose consumers kept dying.
 * @internal
 */
export class JetStreamConsumer {
  readonly #clients: Clients;
  readonly #config: ResolvedNatsConfig;
  readonly #stats: MutableNatsStats;
  readonly #receiver: BatchReceiver;
  #fetch: ConsumerMessages | undefined;
  #advisories: Subscription | undefined;
  #running: Promise<void> | undefined;
  #starting: Promise<void> | undefined;
  #manager: JetStreamManager | undefined;
  #stopped = false;

  constructor(clients: Clients, config: ResolvedNatsConfig, stats: MutableNatsStats, receiver: BatchReceiver) {
    this.#clients = clients;
    this.#config = config;
    this.#stats = stats;
    this.#receiver = receiver;
  }

  /** Creates or updates the durable consumer, then starts pulling. */
  start(): Promise<void> {
    return (this.#starting ??= this.#start());
  }

  async #start(): Promise<void> {
    const { js, connection } = this.#clients;
    const { stream, durable } = this.#config;
    this.#manager = await this.#clients.jsm();
    if (this.#stopped) return;
    await ensureConsumer(this.#manager, this.#config);
    if (this.#stopped) return;
    this.#advisories = connection.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.${durable}`, {
      queue: `eventwire-dead-letters-${durable}`,
      callback: (error, message) => {
        if (error === null) void this.#onMaxDeliveries(message.json<{ stream_seq: number; deliveries: number }>());
      },
    });
    this.#running = this.#pull(await js.consumers.get(stream, durable));
  }

  /** Stops pulling; resolves once the batch in progress has been settled. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#starting?.catch(() => undefined);
    this.#advisories?.unsubscribe();
    this.#fetch?.stop();
    await this.#running;
  }

  /**
   * Pulls at most `batchSize` messages at a time and asks for more only once they are all
   * settled, so a slow or hung handler holds back one batch, not the stream. Messages of one
   * pull are handed over as soon as they arrive, gathered per macrotask into one batch.
   */
  async #pull(initial: Consumer): Promise<void> {
    let consumer = initial;
    let failures = 0;
    while (!this.#stopped) {
      try {
        if (failures > 0) consumer = await this.#recreate();
        const messages = await consumer.fetch({ max_messages: this.#config.batchSize, expires: this.#config.pullExpiresMs });
        this.#fetch = messages;
        const batcher = new MacrotaskBatcher((batch: JsMsg[]) => this.#settleBySenderBatch(batch));
        for await (const message of messages) batcher.add(message);
        await batcher.flushed();
        failures = 0;
      } catch (error) {
        if (this.#stopped) break;
        failures += 1;
        this.#config.onError?.(error);
        await delay(Math.min(50 * 2 ** failures, 2_000));
      }
    }
  }

  /**
   * After a failure: the stream or the consumer may be gone (deleted, or a restarted server
   * that kept them in memory), so make sure both exist again before the next pull.
   */
  async #recreate(): Promise<Consumer> {
    await ensureStreams(this.#manager!, this.#config);
    await ensureConsumer(this.#manager!, this.#config);
    return this.#clients.js.consumers.get(this.#config.stream, this.#config.durable);
  }

  /** Events sent together (one `send`) are handed over together, one sender batch after the other. */
  async #settleBySenderBatch(messages: readonly JsMsg[]): Promise<void> {
    const batchOf = (message: JsMsg) => message.headers?.get(senderBatchHeader) ?? '';
    let start = 0;
    for (let end = 1; end <= messages.length; end++) {
      if (end < messages.length && batchOf(messages[end]!) === batchOf(messages[start]!)) continue;
      await this.#settle(messages.slice(start, end));
      start = end;
    }
  }

  /**
   * Hands the batch to the receiver and settles every message. A message that is not even a
   * CloudEvent (or arrived on a subject its content does not belong to) is passed on as an
   * undecodable placeholder, so the receiver counts and reports it, and is dead-lettered with
   * the precise reason whatever the receiver says.
   */
  async #settle(batch: readonly JsMsg[]): Promise<void> {
    const wireErrors = new Map<number, SerializedError>();
    const payloads = batch.map((message, index) => {
      this.#stats.eventsConsumed += 1;
      if (message.info.deliveryCount > 1) this.#stats.redeliveries += 1;
      const decoding = decodeMessage(message.data, message.subject, this.#config.subjectPrefix);
      if (decoding.ok) return decoding.envelope;
      const reason = serializeError(decoding.error);
      wireErrors.set(index, reason);
      return undecodablePlaceholder(reason);
    });
    const outcome = await this.#receive(payloads);
    const deadLetters: [JsMsg, SerializedError][] = [...wireErrors].map(([index, reason]) => [batch[index]!, reason]);
    const settled = new Set<number>(wireErrors.keys());
    const take = (index: number): JsMsg | undefined => {
      if (settled.has(index)) return undefined;
      settled.add(index);
      return batch[index];
    };
    let handled = 0;
    for (const index of outcome.handled) {
      const message = take(index);
      if (message === undefined) continue;
      message.ack();
      handled += 1;
    }
    for (const { index, error } of outcome.rejected) {
      const message = take(index);
      if (message !== undefined) deadLetters.push([message, error]);
    }
    for (const { index, error } of outcome.failed) {
      const message = take(index);
      if (message === undefined) continue;
      this.#stats.handlerErrors += 1;
      if (message.info.deliveryCount >= this.#config.maxDeliver) deadLetters.push([message, error]);
      else message.nak(this.#config.retryDelayMs);
    }
    batch.forEach((message, index) => settled.has(index) || message.nak(this.#config.retryDelayMs));
    this.#stats.eventsProcessedOk += handled;
    this.#stats.eventsProcessedFailed += batch.length - handled;
    await Promise.all(deadLetters.map(([message, reason]) => this.#deadLetter(message, reason)));
  }

  async #receive(payloads: readonly unknown[]): Promise<BatchOutcome> {
    try {
      return await this.#receiver({ payloads });
    } catch (error) {
      const serialized = serializeError(error);
      return { handled: [], rejected: [], failed: payloads.map((_, index) => ({ index, error: serialized })) };
    }
  }

  async #deadLetter(message: JsMsg, reason: SerializedError): Promise<void> {
    if (await this.#publishDeadLetter(sourceOfMessage(message), reason)) message.term();
    else message.nak(this.#config.retryDelayMs);
  }

  /** The server stopped redelivering a message nobody acked: its consumers kept failing or dying. */
  async #onMaxDeliveries(advisory: { stream_seq: number; deliveries: number }): Promise<void> {
    try {
      const stored = await this.#manager!.streams.getMessage(this.#config.stream, { seq: advisory.stream_seq });
      if (stored === null) return;
      const reason: SerializedError = {
        name: 'EventwireError',
        code: 'MESSAGE_REJECTED',
        message: `Delivered ${advisory.deliveries} times without being acknowledged (maxDeliver ${this.#config.maxDeliver}): its consumers failed or died`,
      };
      await this.#publishDeadLetter(sourceOfStored(stored, advisory.deliveries), reason);
    } catch (error) {
      this.#config.onError?.(error);
    }
  }

  async #publishDeadLetter(source: DeadLetterSource, reason: SerializedError): Promise<boolean> {
    try {
      await publishDeadLetter(this.#clients.js, this.#config, source, reason);
      this.#stats.messagesSentToDeadLetter += 1;
      const notice = { consumer: this.#config.durable, attempts: source.deliveries, reason };
      this.#config.onDeadLettered?.(source.eventId === undefined ? notice : { ...notice, eventId: source.eventId });
      return true;
    } catch (error) {
      this.#config.onError?.(error);
      return false;
    }
  }
}

