import { EventwireError, type SerializedError } from '@eventwire/core';
import type { Redis } from 'ioredis';
import { fieldsOf } from './wireFormat.js';

/** One entry of the dead-letter stream: the original entry, why it is there, and who gave up. */
export interface RedisDeadLetter {
  /** Id of the dead-letter entry (use it to replay). */
  readonly id: string;
  /** Id the entry had in the event stream. */
  readonly sourceId: string;
  /** The event id, when the entry carried one. */
  readonly eventId?: string;
  /** The original entry's fields, unchanged (even when they are garbage). */
  readonly fields: Readonly<Record<string, string>>;
  /** Why it was dead-lettered: a decode error, the last handler error, or exhausted retries. */
  readonly reason: SerializedError;
  /** Deliveries made before giving up. */
  readonly attempts: number;
  readonly consumerGroup: string;
  readonly consumer: string;
  readonly deadLetteredAt: string;
}

/** What the consumer knows when it gives up on an entry. @internal */
export interface DeadLetterInput {
  readonly sourceId: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly reason: SerializedError;
  readonly attempts: number;
}

interface DeadLetterTarget {
  readonly streamKey: string;
  readonly deadLetterStream: string;
  readonly consumerGroup: string;
  readonly consumerName: string;
}

/**
 * Moves entries to the dead-letter stream and acknowledges them in the event stream, in one
 * MULTI so an entry is never both lost and acknowledged.
 * @internal
 */
export async function deadLetterEntries(redis: Redis, target: DeadLetterTarget, inputs: readonly DeadLetterInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const transaction = redis.multi();
  for (const input of inputs) {
    transaction.xadd(
      target.deadLetterStream,
      '*',
      'sourceId', input.sourceId,
      'eventId', input.fields.id ?? '',
      'fields', JSON.stringify(input.fields),
      'reason', JSON.stringify(input.reason),
      'attempts', String(input.attempts),
      'consumerGroup', target.consumerGroup,
      'consumer', target.consumerName,
      'deadLetteredAt', new Date().toISOString(),
    );
  }
  transaction.xack(target.streamKey, target.consumerGroup, ...inputs.map((input) => input.sourceId));
  const results = await transaction.exec();
  const failure = results?.find(([error]) => error !== null)?.[0];
  if (results === null || failure) throw new EventwireError('TRANSPORT_FAILED', 'Could not write to the dead-letter stream', { cause: failure });
}

/** Reads dead letters in order, oldest first. @internal */
export async function readDeadLetters(redis: Redis, stream: string, options: { after?: string; limit?: number }): Promise<RedisDeadLetter[]> {
  const start = options.after === undefined ? '-' : `(${options.after}`;
  const entries = await redis.xrange(stream, start, '+', 'COUNT', options.limit ?? 100);
  return entries.map(([id, flat]) => toDeadLetter(id, fieldsOf(flat)));
}

/**
 * Puts a dead letter back at the end of the event stream (every group sees it again) and removes
 * it from the dead letters, atomically.
 * @throws {EventwireError} `DEAD_LETTER_NOT_FOUND` when no dead letter has that id
 * @internal
 */
export async function replayDeadLetter(redis: Redis, target: DeadLetterTarget, id: string): Promise<RedisDeadLetter> {
  const [entry] = await redis.xrange(target.deadLetterStream, id, id);
  if (entry === undefined) throw new EventwireError('DEAD_LETTER_NOT_FOUND', `No dead letter with id ${id} in ${target.deadLetterStream}`);
  const deadLetter = toDeadLetter(entry[0], fieldsOf(entry[1]));
  const original = Object.entries(deadLetter.fields).flat();
  if (original.length === 0) original.push('event', '');
  const results = await redis.multi().xadd(target.streamKey, '*', ...original).xdel(target.deadLetterStream, id).exec();
  if (results === null || results.some(([error]) => error !== null)) {
    throw new EventwireError('TRANSPORT_FAILED', `Could not replay dead letter ${id}`);
  }
  return deadLetter;
}

function toDeadLetter(id: string, raw: Record<string, string>): RedisDeadLetter {
  const fields = parseJson<Record<string, string>>(raw.fields, {});
  const deadLetter: RedisDeadLetter = {
    id,
    sourceId: raw.sourceId ?? '',
    fields,
    reason: parseJson<SerializedError>(raw.reason, { name: 'Error', message: 'unknown' }),
    attempts: Number(raw.attempts ?? 0),
    consumerGroup: raw.consumerGroup ?? '',
    consumer: raw.consumer ?? '',
    deadLetteredAt: raw.deadLetteredAt ?? '',
  };
  return raw.eventId ? { ...deadLetter, eventId: raw.eventId } : deadLetter;
}

function parseJson<T>(text: string | undefined, fallback: T): T {
  if (text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
