/**
 * The transport's counters, named as in the tutorial's Redis bus (camelCased).
 */
export interface RedisTransportStats {
  /** Events written to the stream by `send` (duplicates of an earlier publish are not counted). */
  readonly eventsPublished: number;
  /** Entries read from the stream, fresh or recovered. */
  readonly eventsConsumed: number;
  /** Entries whose handlers all succeeded (acknowledged). */
  readonly eventsProcessedOk: number;
  /** Entries that failed (to be retried) or were rejected (dead-lettered). */
  readonly eventsProcessedFailed: number;
  /** Pending entries of a stalled consumer claimed and then handled successfully. */
  readonly messagesRecovered: number;
  /** Entries moved to the dead-letter stream. */
  readonly messagesSentToDeadLetter: number;
  /** Handler failures reported by the receiver, and receivers that threw. */
  readonly handlerErrors: number;
  /** Times a Redis connection was re-established. */
  readonly reconnections: number;
}

/** Mutable counters behind {@link RedisTransportStats}. @internal */
export function createStats(): { -readonly [K in keyof RedisTransportStats]: number } {
  return {
    eventsPublished: 0,
    eventsConsumed: 0,
    eventsProcessedOk: 0,
    eventsProcessedFailed: 0,
    messagesRecovered: 0,
    messagesSentToDeadLetter: 0,
    handlerErrors: 0,
    reconnections: 0,
  };
}
