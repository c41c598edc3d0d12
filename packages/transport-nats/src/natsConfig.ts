import { EventwireError, type SerializedError } from '@eventwire/core';
import type { NatsConnection } from '@nats-io/nats-core';
import { filterSubjectOf } from './subjects.js';

/**
 * How a {@link NatsJetStreamTransport} publishes and consumes.
 */
export interface NatsTransportOptions {
  /**
   * An open connection: `connect()` from `@nats-io/transport-node` in Node, `wsconnect()` from
   * `@nats-io/nats-core` in browsers, Deno and workerd. Borrowed: `close()` leaves it open
   * unless `closeConnection` is set.
   */
  connection: NatsConnection;
  /** The JetStream stream holding the events. @default 'EVENTWIRE' */
  stream?: string;
  /** Subject prefix: events go to `<prefix>.<aggregateType>.<type>`. @default 'eventwire' */
  subjectPrefix?: string;
  /** Durable consumer name; processes sharing it share the work. @default 'eventwire' */
  durable?: string;
  /** Routing-key pattern(s) this consumer receives (`Order.*`); several need nats-server 2.10. @default '>' */
  filter?: string | readonly string[];
  /** Messages handed to the receiver at most per batch. @default 100 */
  batchSize?: number;
  /** Deliveries of one message before it is dead-lettered (JetStream `max_deliver`). @default 4 */
  maxDeliver?: number;
  /** How long the server waits for an ack before redelivering. @default 30000 */
  ackWaitMs?: number;
  /** Delay before a failed message is redelivered. @default 1000 */
  retryDelayMs?: number;
  /** How long one pull request waits for messages before the next is made (at least 1000). @default 5000 */
  pullExpiresMs?: number;
  /** Unacknowledged messages the server lets this consumer hold. @default 1000 */
  maxAckPending?: number;
  /**
   * Whether `send` sets `Nats-Msg-Id` to the event id, so the stream refuses re-sent events
   * within its duplicate window. Off, duplicates are left to the receiver. @default true
   */
  deduplicate?: boolean;
  /** The stream's publish de-duplication window (by `Nats-Msg-Id`, the event id). @default 120000 */
  duplicateWindowMs?: number;
  /** The dead-letter stream. @default `<stream>_DEAD_LETTERS` */
  deadLetterStream?: string;
  /** Where a new durable consumer starts. @default 'all' */
  startFrom?: 'all' | 'new';
  /** Store on disk (`'file'`) or in memory. @default 'file' */
  storage?: 'file' | 'memory';
  /** The transport's name, shown by the devtools. @default 'nats' */
  name?: string;
  /** The CloudEvents `source` of published events. @default `urn:eventwire:nats:<stream>` */
  source?: string;
  /** Close the connection in `close()`. @default false */
  closeConnection?: boolean;
  /** Errors of the consumer (setup, dead-lettering, ...); it keeps going. */
  onError?: (error: unknown) => void;
  /**
   * Called after a message was moved to the dead letters, e.g. to report it to the devtools:
   * `onDeadLettered: (letter) => bus.report({ type: 'dead-lettered', eventId: letter.eventId ?? '', consumer: letter.consumer, attempts: letter.attempts, error: letter.reason })`.
   */
  onDeadLettered?: (letter: DeadLetteredNotice) => void;
}

/** What {@link NatsTransportOptions.onDeadLettered} gets. */
export interface DeadLetteredNotice {
  readonly eventId?: string;
  readonly consumer: string;
  readonly attempts: number;
  readonly reason: SerializedError;
}

/** @internal */
export interface ResolvedNatsConfig {
  readonly stream: string;
  readonly subjectPrefix: string;
  readonly durable: string;
  readonly filters: readonly string[];
  readonly batchSize: number;
  readonly maxDeliver: number;
  readonly ackWaitMs: number;
  readonly retryDelayMs: number;
  readonly maxAckPending: number;
  readonly pullExpiresMs: number;
  readonly deduplicate: boolean;
  readonly duplicateWindowMs: number;
  readonly deadLetterStream: string;
  readonly deadLetterSubjectPrefix: string;
  readonly startFrom: 'all' | 'new';
  readonly storage: 'file' | 'memory';
  readonly name: string;
  readonly source: string;
  readonly closeConnection: boolean;
  readonly onError: ((error: unknown) => void) | undefined;
  readonly onDeadLettered: ((letter: DeadLetteredNotice) => void) | undefined;
}

/** Fills the defaults and checks names and numbers. @internal */
export function resolveNatsConfig(options: NatsTransportOptions): ResolvedNatsConfig {
  const stream = options.stream ?? 'EVENTWIRE';
  const subjectPrefix = options.subjectPrefix ?? 'eventwire';
  const filter = options.filter ?? '>';
  const config: ResolvedNatsConfig = {
    stream,
    subjectPrefix,
    durable: options.durable ?? 'eventwire',
    filters: typeof filter === 'string' ? [filter] : [...filter],
    batchSize: options.batchSize ?? 100,
    maxDeliver: options.maxDeliver ?? 4,
    ackWaitMs: options.ackWaitMs ?? 30_000,
    retryDelayMs: options.retryDelayMs ?? 1_000,
    maxAckPending: options.maxAckPending ?? 1_000,
    pullExpiresMs: options.pullExpiresMs ?? 5_000,
    deduplicate: options.deduplicate ?? true,
    duplicateWindowMs: options.duplicateWindowMs ?? 120_000,
    deadLetterStream: options.deadLetterStream ?? `${stream}_DEAD_LETTERS`,
    deadLetterSubjectPrefix: `${subjectPrefix}_dead_letters`,
    startFrom: options.startFrom ?? 'all',
    storage: options.storage ?? 'file',
    name: options.name ?? 'nats',
    source: options.source ?? `urn:eventwire:nats:${stream}`,
    closeConnection: options.closeConnection ?? false,
    onError: options.onError,
    onDeadLettered: options.onDeadLettered,
  };
  for (const key of ['stream', 'durable', 'deadLetterStream'] as const) {
    if (!/^[A-Za-z0-9_-]+$/.test(config[key])) throw new EventwireError('INVALID_ARGUMENT', `${key} "${config[key]}" may only hold letters, digits, _ and -`);
  }
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(subjectPrefix)) {
    throw new EventwireError('INVALID_ARGUMENT', `subjectPrefix "${subjectPrefix}" must be dot-separated tokens without wildcards`);
  }
  for (const key of ['batchSize', 'maxDeliver', 'ackWaitMs', 'maxAckPending', 'duplicateWindowMs'] as const) {
    if (!Number.isInteger(config[key]) || config[key] <= 0) throw new EventwireError('INVALID_ARGUMENT', `${key} must be a positive integer, got ${config[key]}`);
  }
  if (!Number.isInteger(config.retryDelayMs) || config.retryDelayMs < 0) throw new EventwireError('INVALID_ARGUMENT', `retryDelayMs must be an integer >= 0`);
  if (config.pullExpiresMs < 1_000) throw new EventwireError('INVALID_ARGUMENT', `pullExpiresMs must be at least 1000, got ${config.pullExpiresMs}`);
  if (config.filters.length === 0) throw new EventwireError('INVALID_ARGUMENT', 'filter needs at least one pattern');
  for (const pattern of config.filters) filterSubjectOf(subjectPrefix, pattern); // throws on a malformed pattern
  return config;
}
