import { EventDecodeError, fromCloudEvent, toCloudEvent, type AnyEvent, type SerializedError } from '@eventwire/core';
import { headers, nuid, type MsgHdrs } from '@nats-io/nats-core';
import { subjectOf } from './subjects.js';
import { strictUtf8Decoder as decoder, utf8Encoder as encoder } from './textCodec.js';


/** The header that tells which `send` a message was part of. @internal */
export const senderBatchHeader = 'Eventwire-Batch';

/**
 * Headers for one message of a `send`: every message of the send carries the same batch id, so
 * the consumer can hand the events sent together over together. A fresh object per message:
 * the client adds `Nats-Msg-Id` to the headers it is given.
 * @internal
 */
export function senderBatchHeaders(batchId: string): MsgHdrs {
  const h = headers();
  h.set(senderBatchHeader, batchId);
  return h;
}

/** A new sender-batch id. @internal */
export function newBatchId(): string {
  return nuid.next();
}

/** An event as CloudEvents 1.0 structured JSON bytes. @internal */
export function encodeEvent(event: AnyEvent, source: string): Uint8Array {
  return encoder.encode(JSON.stringify(toCloudEvent(event, { source })));
}

/**
 * Decodes a message body to an envelope (not yet checked against the registry), and checks that
 * the subject it came on is the one its content would be published on: a message forged onto
 * another subject (to slip past subject filters or permissions) is refused.
 * @internal
 */
export function decodeMessage(data: Uint8Array, subject: string, prefix: string): { ok: true; envelope: unknown } | { ok: false; error: EventDecodeError } {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(data));
  } catch (error) {
    return invalid('body', `not valid UTF-8 JSON (${(error as Error).message})`);
  }
  let envelope: Record<string, unknown>;
  try {
    envelope = fromCloudEvent(value) as unknown as Record<string, unknown>;
  } catch (error) {
    if (error instanceof EventDecodeError) return { ok: false, error };
    throw error;
  }
  const type = envelope.type as string;
  const aggregateType = typeof envelope.aggregateType === 'string' ? envelope.aggregateType : undefined;
  const expected = subjectOf(prefix, aggregateType === undefined ? { type } : { type, aggregateType });
  if (expected !== subject) return invalid('subject', `arrived on "${subject}" but its content belongs on "${expected}"`);
  return { ok: true, envelope };
}

/**
 * What the receiver gets in place of a message that is not even a CloudEvent: something no
 * registry decodes (no id, type or time), so it is rejected, counted and reported like any bad
 * input, while the transport dead-letters the original with the precise reason.
 * @internal
 */
export function undecodablePlaceholder(reason: SerializedError): { readonly undecodableMessage: SerializedError } {
  return { undecodableMessage: reason };
}

function invalid(path: string, message: string): { ok: false; error: EventDecodeError } {
  return { ok: false, error: new EventDecodeError('INVALID_EVENT', [{ path, message }]) };
}
