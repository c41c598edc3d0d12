import { EventwireError, type SerializedError } from '@eventwire/core';
import type { Redis, RedisOptions } from 'ioredis';

/**
 * How a {@link RedisStreamsTransport} connects and consumes: the tutorial's configuration,
 * camelCased, plus what its implementation left out (idempotent publish, trimming).
 */
export interface RedisTransportOptions {
  /** A client (borrowed: not closed by the transport), a `redis://` URL or ioredis options. */
  connection: Redis | string | RedisOptions;
  /** Prefix of every key: the stream is `<prefix>:events`. @default 'eventwire' */
  streamPrefix?: string;
  /** The consumer group: each event is handled once per group. @default 'eventwire' */
  consumerGroup?: string;
  /** This consumer's name within the group; unique per process. @default `<group>-<random>` */
  consumerName?: string;
  /** Entries read per `XREADGROUP`. @default 100 */
  batchSize?: number;
  /** How long one read blocks waiting for entries. @default 2000 */
  blockMs?: number;
  /** Retries after the first failed attempt; then the entry goes to the dead letters. @default 3 */
  maxRetries?: number;
  /** How long an entry stays unacknowledged before another consumer may claim it. @default 30000 */
  pendingIdleMs?: number;
  /** How often the pending list is scanned for stalled entries. @default min(pendingIdleMs, 5000) */
  recoveryIntervalMs?: number;
  /** The dead-letter stream. @default `<prefix>:dead-letters` */
  deadLetterStream?: string;
  /** Where a new consumer group starts: every entry (`'all'`) or only new ones. @default 'all' */
  startFrom?: 'all' | 'new';
  /**
   * Whether `send` skips event ids published within `dedupeWindowMs` (idempotent batches).
   * Off, every send is appended and duplicates are left to the receiver. @default true
   */
  deduplicate?: boolean;
  /** How long event ids are remembered so that re-sending a batch adds nothing. @default 600000 */
  dedupeWindowMs?: number;
  /** Approximate stream length cap (`XADD MAXLEN ~`); unbounded when absent. */
  maxLength?: number;
  /**
   * Delete the group's consumers that hold nothing pending and have been idle this long (the
   * names of stopped processes), during recovery. Never when absent.
   */
  forgetIdleConsumersAfterMs?: number;
  /** The transport's name, shown by the devtools. @default 'redis' */
  name?: string;
  /** The CloudEvents `source` of published events. @default `urn:eventwire:redis:<prefix>` */
  source?: string;
  /** Errors of the consuming loop (connection lost, ...); it keeps going. */
  onError?: (error: unknown) => void;
  /**
   * Called after an entry was moved to the dead letters, e.g. to report it to the devtools:
   * `onDeadLettered: (letter) => bus.report({ type: 'dead-lettered', eventId: letter.eventId ?? '', consumer: letter.consumer, attempts: letter.attempts, error: letter.reason })`.
   */
  onDeadLettered?: (letter: DeadLetteredNotice) => void;
}

/** What {@link RedisTransportOptions.onDeadLettered} gets. */
export interface DeadLetteredNotice {
  readonly eventId?: string;
  readonly consumer: string;
  readonly attempts: number;
  readonly reason: SerializedError;
}

/** {@link RedisTransportOptions} with every default filled in. @internal */
export type ResolvedRedisConfig = Required<Omit<RedisTransportOptions, 'connection' | 'maxLength' | 'forgetIdleConsumersAfterMs' | 'onError' | 'onDeadLettered'>> &
  Pick<RedisTransportOptions, 'maxLength' | 'forgetIdleConsumersAfterMs' | 'onError' | 'onDeadLettered'> & { streamKey: string; dedupePrefix: string };

/** Fills defaults and checks the numbers. @internal */
export function resolveRedisConfig(options: RedisTransportOptions): ResolvedRedisConfig {
  const streamPrefix = options.streamPrefix ?? 'eventwire';
  const consumerGroup = options.consumerGroup ?? 'eventwire';
  const pendingIdleMs = options.pendingIdleMs ?? 30_000;
  const config = {
    streamPrefix,
    consumerGroup,
    consumerName: options.consumerName ?? `${consumerGroup}-${globalThis.crypto.randomUUID().slice(0, 8)}`,
    batchSize: options.batchSize ?? 100,
    blockMs: options.blockMs ?? 2_000,
    maxRetries: options.maxRetries ?? 3,
    pendingIdleMs,
    recoveryIntervalMs: options.recoveryIntervalMs ?? Math.min(pendingIdleMs, 5_000),
    deadLetterStream: options.deadLetterStream ?? `${streamPrefix}:dead-letters`,
    startFrom: options.startFrom ?? 'all',
    deduplicate: options.deduplicate ?? true,
    dedupeWindowMs: options.dedupeWindowMs ?? 600_000,
    maxLength: options.maxLength,
    forgetIdleConsumersAfterMs: options.forgetIdleConsumersAfterMs,
    name: options.name ?? 'redis',
    source: options.source ?? `urn:eventwire:redis:${streamPrefix}`,
    onError: options.onError,
    onDeadLettered: options.onDeadLettered,
    streamKey: `${streamPrefix}:events`,
    dedupePrefix: `${streamPrefix}:published:`,
  };
  for (const key of ['batchSize', 'blockMs', 'pendingIdleMs', 'recoveryIntervalMs', 'dedupeWindowMs'] as const) {
    requirePositiveInteger(key, config[key]);
  }
  if (!Number.isInteger(config.maxRetries) || config.maxRetries < 0) {
    throw new EventwireError('INVALID_ARGUMENT', `maxRetries must be an integer >= 0, got ${config.maxRetries}`);
  }
  if (config.maxLength !== undefined) requirePositiveInteger('maxLength', config.maxLength);
  if (config.forgetIdleConsumersAfterMs !== undefined) requirePositiveInteger('forgetIdleConsumersAfterMs', config.forgetIdleConsumersAfterMs);
  return config;
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new EventwireError('INVALID_ARGUMENT', `${name} must be a positive integer, got ${value}`);
  }
}
