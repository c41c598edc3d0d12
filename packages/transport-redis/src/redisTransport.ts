import { EventwireError, type AnyEvent, type Transport, type Unsubscribe } from '@eventwire/core';
import { Redis } from 'ioredis';
import { readDeadLetters, replayDeadLetter, type RedisDeadLetter } from './deadLetters.js';
import { Publisher } from './idempotentPublish.js';
import { resolveRedisConfig, type RedisTransportOptions, type ResolvedRedisConfig } from './redisConfig.js';
import { createStats, type RedisTransportStats } from './redisStats.js';
import { StreamConsumer, type BatchReceiver } from './streamConsumer.js';
import { readStreamInfo, type RedisStreamInfo } from './streamInfo.js';
import { encodeEntry } from './wireFormat.js';

/**
 * eventwire over Redis Streams. `send` appends a batch to `<prefix>:events` atomically and
 * idempotently (by event id); `receive` consumes as one member of a consumer group, acks an
 * entry once its handlers have settled, leaves failed entries pending for a retry (claimed
 * again after `pendingIdleMs`, by this or any consumer of the group), and moves entries that are
 * undecodable, rejected or out of retries to the dead-letter stream with the reason.
 *
 * @example
 * ```ts
 * const transport = new RedisStreamsTransport({ connection: 'redis://127.0.0.1:6379', streamPrefix: 'shop', consumerGroup: 'billing' });
 * const disconnect = connect(bus, transport, { registry });
 * console.log(transport.getStats(), await transport.getStreamInfo());
 * ```
 */
export class RedisStreamsTransport implements Transport {
  readonly name: string;
  readonly #config: ResolvedRedisConfig;
  readonly #writer: Redis;
  readonly #publisher: Publisher;
  readonly #stats = createStats();
  #consumer: StreamConsumer | undefined;
  #closed = false;

  constructor(options: RedisTransportOptions) {
    this.#config = resolveRedisConfig(options);
    this.name = this.#config.name;
    this.#writer = this.#watch(openClient(options.connection));
    this.#publisher = new Publisher(this.#writer, this.#config);
  }

  /** The resolved configuration (stream key, group, consumer name, ...). */
  get config(): Readonly<ResolvedRedisConfig> {
    return this.#config;
  }

  /** Appends the events as one atomic, idempotent batch: ids already published are skipped. */
  async send(events: readonly AnyEvent[]): Promise<void> {
    this.#assertOpen();
    if (events.length === 0) return;
    const { source } = this.#config;
    const entries = events.map((event) => encodeEntry(event, source));
    this.#stats.eventsPublished += await this.#publisher.publish(entries);
  }

  /** Starts consuming as `consumerName` in `consumerGroup`. One receiver at a time. */
  receive(handler: BatchReceiver): Unsubscribe {
    this.#assertOpen();
    if (this.#consumer !== undefined) throw new EventwireError('INVALID_ARGUMENT', `${this.name} already has a receiver: remove it first`);
    const consumer = new StreamConsumer(this.#watch(this.#writer.duplicate()), this.#writer, this.#config, this.#stats, handler);
    this.#consumer = consumer;
    consumer.start();
    return () => {
      if (this.#consumer === consumer) this.#consumer = undefined;
      void consumer.stop();
    };
  }

  /** Stops consuming (the batch in progress is settled first) and closes the connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#consumer?.stop();
    this.#consumer = undefined;
    await this.#writer.quit().catch(() => this.#writer.disconnect());
  }

  /** The tutorial's statistics: published, consumed, ok / failed, recovered, dead-lettered, ... */
  getStats(): RedisTransportStats {
    return { ...this.#stats };
  }

  /** Length of the stream, its consumer groups (pending, lag) and the dead-letter count. */
  getStreamInfo(): Promise<RedisStreamInfo> {
    return readStreamInfo(this.#writer, this.#config);
  }

  /** Dead letters, oldest first; page with `after` (the last id seen). */
  listDeadLetters(options: { after?: string; limit?: number } = {}): Promise<RedisDeadLetter[]> {
    return readDeadLetters(this.#writer, this.#config.deadLetterStream, options);
  }

  /**
   * Appends a dead letter's original entry to the event stream again and removes it from the
   * dead letters. Every consumer group of the stream sees it again.
   * @throws {EventwireError} `DEAD_LETTER_NOT_FOUND`
   */
  replayDeadLetter(id: string): Promise<RedisDeadLetter> {
    return replayDeadLetter(this.#writer, this.#config, id);
  }

  #watch(client: Redis): Redis {
    let ready = false;
    client.on('ready', () => {
      if (ready) this.#stats.reconnections += 1;
      ready = true;
    });
    // Without a listener ioredis prints every connection error; the loop reports what matters.
    client.on('error', () => {});
    return client;
  }

  #assertOpen(): void {
    if (this.#closed) throw new EventwireError('TRANSPORT_CLOSED', `${this.name} is closed`);
  }
}

/**
 * Creates a {@link RedisStreamsTransport}.
 *
 * @example
 * ```ts
 * const transport = createRedisTransport({ connection: process.env.REDIS_URL!, consumerGroup: 'projections' });
 * ```
 */
export function createRedisTransport(options: RedisTransportOptions): RedisStreamsTransport {
  return new RedisStreamsTransport(options);
}

function openClient(connection: RedisTransportOptions['connection']): Redis {
  if (connection instanceof Redis) return connection.duplicate();
  return typeof connection === 'string' ? new Redis(connection) : new Redis(connection);
}
