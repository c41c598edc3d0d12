/** The NATS transport's counters (the same names as the Redis transport's where they mean the same). */
export interface NatsTransportStats {
  /** Events the stream stored for `send` (not counting duplicates it refused). */
  readonly eventsPublished: number;
  /** Events `send` re-sent within the duplicate window: the stream kept only the first. */
  readonly duplicatesRefused: number;
  /** Messages delivered to this consumer, first deliveries and redeliveries. */
  readonly eventsConsumed: number;
  /** Messages that were redeliveries (a consumer failed, died, or did not ack in time). */
  readonly redeliveries: number;
  /** Messages acknowledged after their handlers succeeded. */
  readonly eventsProcessedOk: number;
  /** Messages that failed (negatively acknowledged for redelivery) or were rejected. */
  readonly eventsProcessedFailed: number;
  /** Messages moved to the dead-letter stream. */
  readonly messagesSentToDeadLetter: number;
  /** Handler failures reported by the receiver, and receivers that threw. */
  readonly handlerErrors: number;
  /** Times the connection was re-established. */
  readonly reconnections: number;
}

/** @internal */
export type MutableNatsStats = { -readonly [K in keyof NatsTransportStats]: number };

/** @internal */
export function createNatsStats(): MutableNatsStats {
  return {
    eventsPublished: 0,
    duplicatesRefused: 0,
    eventsConsumed: 0,
    redeliveries: 0,
    eventsProcessedOk: 0,
    eventsProcessedFailed: 0,
    messagesSentToDeadLetter: 0,
    handlerErrors: 0,
    reconnections: 0,
  };
}
