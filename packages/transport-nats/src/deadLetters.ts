import { EventwireError, type SerializedError } from '@eventwire/core';
import type { JetStreamClient, JetStreamManager, JsMsg, StoredMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/nats-core';
import type { ResolvedNatsConfig } from './natsConfig.js';
import { lenientUtf8Decoder } from './textCodec.js';

/** One message of the dead-letter stream: the original body, where it came from, and why. */
export interface NatsDeadLetter {
  /** Sequence in the dead-letter stream (use it to replay). */
  readonly seq: number;
  /** The subject the message was published on. */
  readonly subject: string;
  /** Its sequence in the event stream. */
  readonly sourceSeq: number;
  /** The event id (`Nats-Msg-Id`), when it had one. */
  readonly eventId?: string;
  /** The original body as text (garbage included, unchanged). */
  readonly body: string;
  /** Why: a decode error, the receiver's rejection, the last handler error, or exhausted deliveries. */
  readonly reason: SerializedError;
  /** Deliveries made before giving up. */
  readonly deliveries: number;
  /** The durable consumer that gave up. */
  readonly consumer: string;
  readonly deadLetteredAt: string;
}

const header = {
  reason: 'Eventwire-Dead-Letter-Reason',
  subject: 'Eventwire-Original-Subject',
  seq: 'Eventwire-Original-Seq',
  eventId: 'Eventwire-Original-Msg-Id',
  deliveries: 'Eventwire-Deliveries',
  consumer: 'Eventwire-Consumer',
} as const;

/** What is dead-lettered: the original message's body and coordinates. @internal */
export interface DeadLetterSource {
  readonly data: Uint8Array;
  readonly subject: string;
  readonly seq: number;
  readonly eventId: string | undefined;
  readonly deliveries: number;
}

/** A delivered message as a {@link DeadLetterSource}. @internal */
export function sourceOfMessage(message: JsMsg): DeadLetterSource {
  return { data: message.data, subject: message.subject, seq: message.seq, eventId: message.headers?.get('Nats-Msg-Id') || undefined, deliveries: message.info.deliveryCount };
}

/** A stored message (fetched after the server gave up on it) as a {@link DeadLetterSource}. @internal */
export function sourceOfStored(message: StoredMsg, deliveries: number): DeadLetterSource {
  return { data: message.data, subject: message.subject, seq: message.seq, eventId: message.header?.get('Nats-Msg-Id') || undefined, deliveries };
}

/**
 * Publishes a message to the dead-letter stream. The `Nats-Msg-Id` is the source sequence, so
 * the two paths that may dead-letter one message (the consumer, the max-deliveries advisory)
 * store it once.
 * @internal
 */
export async function publishDeadLetter(js: JetStreamClient, config: ResolvedNatsConfig, source: DeadLetterSource, reason: SerializedError): Promise<void> {
  const h = headers();
  h.set(header.reason, JSON.stringify(reason));
  h.set(header.subject, source.subject);
  h.set(header.seq, String(source.seq));
  if (source.eventId !== undefined) h.set(header.eventId, source.eventId);
  h.set(header.deliveries, String(source.deliveries));
  h.set(header.consumer, config.durable);
  await js.publish(`${config.deadLetterSubjectPrefix}.${config.durable}`, source.data, { msgID: `${config.stream}:${source.seq}`, headers: h });
}

/** Dead letters, oldest first. @internal */
export async function readDeadLetters(jsm: JetStreamManager, config: ResolvedNatsConfig, limit: number): Promise<NatsDeadLetter[]> {
  const { state } = await jsm.streams.info(config.deadLetterStream);
  const letters: NatsDeadLetter[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && letters.length < limit && state.messages > 0; seq++) {
    const stored = await getStored(jsm, config.deadLetterStream, seq);
    if (stored !== null) letters.push(toDeadLetter(stored));
  }
  return letters;
}

/**
 * Publishes a dead letter's body again on its original subject, then removes it from the dead
 * letters. The new `Nats-Msg-Id` (`<event id>:replay:<seq>`) lets it past the duplicate window
 * once, and no more than once.
 * @throws {EventwireError} `DEAD_LETTER_NOT_FOUND`
 * @internal
 */
export async function replayDeadLetter(js: JetStreamClient, jsm: JetStreamManager, config: ResolvedNatsConfig, seq: number): Promise<NatsDeadLetter> {
  const stored = await getStored(jsm, config.deadLetterStream, seq);
  if (stored === null) throw new EventwireError('DEAD_LETTER_NOT_FOUND', `No dead letter with sequence ${seq} in ${config.deadLetterStream}`);
  const letter = toDeadLetter(stored);
  await js.publish(letter.subject, stored.data, { msgID: `${letter.eventId ?? `${config.stream}:${letter.sourceSeq}`}:replay:${seq}` });
  await jsm.streams.deleteMessage(config.deadLetterStream, seq);
  return letter;
}

async function getStored(jsm: JetStreamManager, stream: string, seq: number): Promise<StoredMsg | null> {
  try {
    return await jsm.streams.getMessage(stream, { seq });
  } catch (error) {
    if (/no message found|not found/i.test(String((error as Error).message))) return null;
    throw error;
  }
}

function toDeadLetter(stored: StoredMsg): NatsDeadLetter {
  const get = (name: string) => stored.header?.get(name) ?? '';
  const eventId = get(header.eventId);
  const letter: NatsDeadLetter = {
    seq: stored.seq,
    subject: get(header.subject),
    sourceSeq: Number(get(header.seq)),
    body: lenientUtf8Decoder.decode(stored.data),
    reason: parseReason(get(header.reason)),
    deliveries: Number(get(header.deliveries)),
    consumer: get(header.consumer),
    deadLetteredAt: stored.time.toISOString(),
  };
  return eventId === '' ? letter : { ...letter, eventId };
}

function parseReason(text: string): SerializedError {
  try {
    return JSON.parse(text) as SerializedError;
  } catch {
    return { name: 'Error', message: text || 'unknown' };
  }
}
