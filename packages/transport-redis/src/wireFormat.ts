import { EventDecodeError, fromCloudEvent, routingKeyOf, toCloudEvent, type AnyEvent, type SerializedError } from '@eventwire/core';

/**
 * The fields of one stream entry written by eventwire: the event id, its routing key, its
 * CloudEvent JSON (and the id of the `send` it was part of, added by the publish script).
 */
export interface WireFields {
  readonly id: string;
  readonly key: string;
  readonly event: string;
}

/** An entry's fields decoded to an envelope, or the reason it cannot be. */
export type WireDecoding = { ok: true; envelope: unknown } | { ok: false; error: EventDecodeError };

/**
 * Encodes an event as the fields of a stream entry (CloudEvents 1.0 structured JSON).
 * @internal
 */
export function encodeEntry(event: AnyEvent, source: string): WireFields {
  return { id: event.id, key: routingKeyOf(event), event: JSON.stringify(toCloudEvent(event, { source })) };
}

/**
 * Decodes an entry's fields to an envelope: JSON, then the CloudEvents mapping. The envelope is
 * not yet checked against the registry; the receiver does that.
 * @internal
 */
export function decodeEntry(fields: Readonly<Record<string, string>>): WireDecoding {
  const body = fields.event;
  if (body === undefined) return invalid('event', 'the entry has no "event" field');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return invalid('event', `not valid JSON (${(error as Error).message})`);
  }
  try {
    return { ok: true, envelope: fromCloudEvent(parsed) };
  } catch (error) {
    if (error instanceof EventDecodeError) return { ok: false, error };
    throw error;
  }
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

/** Turns Redis' flat `[field, value, field, value]` list into an object. @internal */
export function fieldsOf(flat: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i] as string] = flat[i + 1] as string;
  return fields;
}

function invalid(path: string, message: string): WireDecoding {
  return { ok: false, error: new EventDecodeError('INVALID_EVENT', [{ path, message }]) };
}
