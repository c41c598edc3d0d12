import { serializeError, type BatchOutcome, type IncomingBatch, type SerializedError } from '@eventwire/core';
import type { Redis } from 'ioredis';
import { deadLetterEntries, type DeadLetterInput } from './deadLetters.js';
import { forgetIdleConsumers } from './idleConsumers.js';
import type { ResolvedRedisConfig } from './redisConfig.js';
import type { createStats } from './redisStats.js';
import { decodeEntry, fieldsOf, undecodablePlaceholder } from './wireFormat.js';

/** One stream entry being delivered, with the number of this delivery. */
interface Delivery {
  readonly id: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly attempts: number;
  readonly recovered: boolean;
}

type RawEntry = [id: string, flat: string[]];
type PendingRow = [id: string, consumer: string, idleMs: number, deliveries: number];

/** Receives a decoded batch and says what happened to each payload. */
export type BatchReceiver = (batch: IncomingBatch) => Promise<BatchOutcome>;

/**
 * The consuming loop of one consumer in a group: recover stalled pending entries (the whole
 * pending list, page by page), read new ones, hand them to the receiver as one batch, then ack,
 * leave pending for a retry, or dead-letter each entry according to the outcome.
 * @internal
 */
export class StreamConsumer {
  readonly #reader: Redis;
  readonly #writer: Redis;
  readonly #config: ResolvedRedisConfig;
  readonly #stats: ReturnType<typeof createStats>;
  readonly #receiver: BatchReceiver;
  #stopped = false;
  #running: Promise<void> | undefined;

  constructor(reader: Redis, writer: Redis, config: ResolvedRedisConfig, stats: ReturnType<typeof createStats>, receiver: BatchReceiver) {
    this.#reader = reader;
    this.#writer = writer;
    this.#config = config;
    this.#stats = stats;
    this.#receiver = receiver;
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** Stops reading; resolves once the batch in progress has been settled. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#reader.disconnect();
    await this.#running;
  }

  async #run(): Promise<void> {
    let nextRecovery = 0;
    let failures = 0;
    while (!this.#stopped) {
      try {
        if (failures > 0 || nextRecovery === 0) await this.#ensureGroup();
        if (Date.now() >= nextRecovery) {
          await this.#recoverPending();
          const forgetAfter = this.#config.forgetIdleConsumersAfterMs;
          if (forgetAfter !== undefined) await forgetIdleConsumers(this.#writer, this.#config, forgetAfter);
          nextRecovery = Date.now() + this.#config.recoveryIntervalMs;
        }
        await this.#readNew(Math.max(1, Math.min(this.#config.blockMs, nextRecovery - Date.now())));
        failures = 0;
      } catch (error) {
        if (this.#stopped) break;
        failures += 1;
        this.#config.onError?.(error);
        await sleep(Math.min(50 * 2 ** failures, 2_000));
      }
    }
  }

  async #ensureGroup(): Promise<void> {
    const { streamKey, consumerGroup, startFrom } = this.#config;
    try {
      await this.#writer.xgroup('CREATE', streamKey, consumerGroup, startFrom === 'all' ? '0' : '$', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
  }

  async #readNew(blockMs: number): Promise<void> {
    const { consumerGroup, consumerName, batchSize, streamKey } = this.#config;
    const reply = (await this.#reader.xreadgroup(
      'GROUP', consumerGroup, consumerName, 'COUNT', batchSize, 'BLOCK', blockMs, 'STREAMS', streamKey, '>',
    )) as [stream: string, entries: RawEntry[]][] | null;
    const entries = reply?.[0]?.[1] ?? [];
    await this.#settleBySenderBatch(entries.map(([id, flat]) => ({ id, fields: fieldsOf(flat), attempts: 1, recovered: false })));
  }

  /** Walks the whole pending list (entries idle long enough), claiming them page by page. */
  async #recoverPending(): Promise<void> {
    const { streamKey, consumerGroup, consumerName, pendingIdleMs, batchSize, maxRetries } = this.#config;
    let start = '-';
    while (!this.#stopped) {
      const page = (await this.#writer.xpending(streamKey, consumerGroup, 'IDLE', pendingIdleMs, start, '+', batchSize)) as PendingRow[];
      if (page.length === 0) return;
      start = `(${page[page.length - 1]![0]}`;
      const deliveries = new Map(page.map(([id, , , count]) => [id, Number(count)]));
      const claimed = (await this.#writer.xclaim(streamKey, consumerGroup, consumerName, pendingIdleMs, ...deliveries.keys())) as (RawEntry | null)[];
      const exhausted: DeadLetterInput[] = [];
      const retries: Delivery[] = [];
      for (const entry of claimed) {
        if (!Array.isArray(entry)) continue; // deleted from the stream meanwhile
        const [id, flat] = entry;
        const previous = deliveries.get(id) ?? 0;
        if (previous > maxRetries) exhausted.push({ sourceId: id, fields: fieldsOf(flat), attempts: previous, reason: abandoned(previous, maxRetries) });
        else retries.push({ id, fields: fieldsOf(flat), attempts: previous + 1, recovered: true });
      }
      await this.#deadLetter(exhausted);
      await this.#settleBySenderBatch(retries);
      if (page.length < batchSize) return;
    }
  }

  /**
   * Events sent together (one `send`) are handed over together, one sender batch after the
   * other; the acks and dead letters of a read are written without waiting in between (ioredis
   * pipelines them), and awaited before the next read.
   */
  async #settleBySenderBatch(deliveries: readonly Delivery[]): Promise<void> {
    const writes: Promise<unknown>[] = [];
    let start = 0;
    for (let end = 1; end <= deliveries.length; end++) {
      if (end < deliveries.length && deliveries[end]!.fields.batch === deliveries[start]!.fields.batch) continue;
      writes.push((await this.#settle(deliveries.slice(start, end))).written);
      start = end;
    }
    await Promise.all(writes);
  }

  /**
   * Hands the batch to the receiver and settles every entry; returns the acks and dead-letter
   * writes in flight. An entry that is not even a CloudEvent is passed on as an undecodable
   * placeholder (so the receiver counts and reports it) and dead-lettered with the precise
   * reason, whatever the receiver says.
   */
  async #settle(deliveries: readonly Delivery[]): Promise<{ written: Promise<unknown> }> {
    this.#stats.eventsConsumed += deliveries.length;
    const wireErrors = new Map<number, SerializedError>();
    const payloads = deliveries.map((delivery, index) => {
      const decoding = decodeEntry(delivery.fields);
      if (decoding.ok) return decoding.envelope;
      const reason = serializeError(decoding.error);
      wireErrors.set(index, reason);
      return undecodablePlaceholder(reason);
    });
    const outcome = await this.#receive(payloads);
    const deadLetters: DeadLetterInput[] = [...wireErrors].map(([index, reason]) => toDeadLetter(deliveries[index]!, reason));
    const acks: string[] = [];
    const settled = new Set<number>(wireErrors.keys());
    const take = (index: number): Delivery | undefined => {
      if (settled.has(index)) return undefined;
      settled.add(index);
      return deliveries[index];
    };
    for (const index of outcome.handled) {
      const delivery = take(index);
      if (delivery === undefined) continue;
      acks.push(delivery.id);
      this.#stats.eventsProcessedOk += 1;
      if (delivery.recovered) this.#stats.messagesRecovered += 1;
    }
    for (const { index, error } of outcome.rejected) {
      const delivery = take(index);
      if (delivery !== undefined) deadLetters.push(toDeadLetter(delivery, error));
    }
    for (const { index, error } of outcome.failed) {
      const delivery = take(index);
      if (delivery === undefined) continue;
      this.#stats.handlerErrors += 1;
      // Left pending: recovery claims it again after pendingIdleMs, until the retries run out.
      if (delivery.attempts > this.#config.maxRetries) deadLetters.push(toDeadLetter(delivery, error));
    }
    this.#stats.eventsProcessedFailed += deliveries.length - acks.length;
    const acked = acks.length > 0 ? this.#writer.xack(this.#config.streamKey, this.#config.consumerGroup, ...acks) : undefined;
    return { written: Promise.all([acked, this.#deadLetter(deadLetters)]) };
  }

  async #receive(payloads: readonly unknown[]): Promise<BatchOutcome> {
    try {
      return await this.#receiver({ payloads });
    } catch (error) {
      // A receiver that throws fails the whole batch: every entry stays pending for a retry.
      const serialized = serializeError(error);
      return { handled: [], rejected: [], failed: payloads.map((_, index) => ({ index, error: serialized })) };
    }
  }

  async #deadLetter(inputs: readonly DeadLetterInput[]): Promise<void> {
    if (inputs.length === 0) return;
    await deadLetterEntries(this.#writer, this.#config, inputs);
    this.#stats.messagesSentToDeadLetter += inputs.length;
    const notify = this.#config.onDeadLettered;
    if (notify === undefined) return;
    for (const input of inputs) {
      const notice = { consumer: this.#config.consumerName, attempts: input.attempts, reason: input.reason };
      notify(input.fields.id ? { ...notice, eventId: input.fields.id } : notice);
    }
  }
}


function toDeadLetter(delivery: Delivery, reason: SerializedError): DeadLetterInput {
  return { sourceId: delivery.id, fields: delivery.fields, attempts: delivery.attempts, reason };
}

function abandoned(deliveries: number, maxRetries: number): SerializedError {
  return {
    name: 'EventwireError',
    code: 'MESSAGE_REJECTED',
    message: `Delivered ${deliveries} times without being acknowledged (maxRetries ${maxRetries}): its consumers failed or died`,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
