import { EventwireError, type DeadLetteredRecord, type InspectionRecord, type PublishedRecord, type SerializedError } from '@eventwire/core';
import type { Redactor } from './redaction.js';

/**
 * What the live stream says about an event: its envelope's ids and type, no payload (`data`,
 * `metadata`). The devtools fetch the payload on demand (`get-events`), redacted.
 */
export interface EventSummary {
  readonly id: string;
  readonly type: string;
  readonly aggregateType?: string;
  readonly aggregateId?: string;
  readonly causationId?: string;
  readonly correlationId?: string;
}

/** A `published` record as the live stream carries it: the event's summary, not the event. */
export interface PublishedSummaryRecord extends Omit<PublishedRecord, 'event'> {
  readonly event: EventSummary;
  /** Marks the record: its event has no `data` / `metadata` (ask the bridge for them). */
  readonly summary: true;
}

/** A record as the devtools read it: an inspection record, or a published event's summary. */
export type DevtoolsRecord = InspectionRecord | PublishedSummaryRecord;

/**
 * A delivery with something to say besides its subscription: `[subscription, µs]` (delivered;
 * `µs` is `-1` when not timed), or `[subscription, µs, name, message, code?]` (failed, with its
 * error's summary; the whole error, stack cut and details redacted, comes with the event's detail).
 * The subscription is a number `n` for the bus's own subscription `<busId>:<n>`, else its id.
 */
export type PackedDelivery = [subscription: string | number, micros: number, ...error: string[]];
/** Switches the deliveries that follow to an event sent in an earlier list. */
export interface PackedSwitch {
  /** The event id. */
  readonly e: string;
  /** The deliveries' time, ms after the list's `t`. */
  readonly t: number;
}
/** What events of a list share: `[type, aggregateType or 0, source or 0 for local, background 0 or 1]`. */
export type PackedKind = [type: string, aggregateType: string | 0, source: string | 0, background: 0 | 1];
/**
 * One item of a packed list. The list is a flat stream, read in order:
 * - a string starts an event: `id, kind, Δtime, aggregateId, causationId, correlationId`, where
 *   `kind` indexes the list's `k`, `Δtime` is ms after the list's `t`, an absent id is `0`, and the
 *   correlation id is `1` when it is the causation id, `2` when it is the event's own id;
 * - a number `n >= 0` is a delivery of the current event to subscription `<busId>:<n>`, not timed;
 * - a {@link PackedDelivery} array is any other delivery of the current event;
 * - a negative number `-d` makes the `d`-th latest event of the list current again (its async handlers settled);
 * - a {@link PackedSwitch} makes an event of an earlier list current;
 * - an object with a `type` is any other record, whole (errors of dead letters as summaries,
 *   of rejections redacted).
 */
export type PackedItem = string | number | 0 | PackedDelivery | PackedSwitch | DevtoolsRecord;

/**
 * How snapshots and batches carry records on the wire (protocol 3): a flat list of ids and small
 * numbers (no object per event, no payload), cheap to build and to encode. `unpackRecords` gives
 * the records back.
 */
export interface PackedRecords {
  /** The time (ms since the epoch) that events' `Δtime` count from. */
  readonly t: number;
  /** The kinds of the list's events. */
  readonly k: readonly PackedKind[];
  /** The stream (see {@link PackedItem}). */
  readonly e: readonly PackedItem[];
}

/** How far back a delivery's event is looked up among the list's latest events before it is named by id. */
const LOOKBACK = 64;

/**
 * Encodes a bus's records for the live stream. No payload is read, copied or redacted here:
 * the stream carries none (see {@link EventSummary}).
 * @example
 * ```ts
 * const packer = new RecordPacker(bus.id, createRedactor(['password']));
 * channel.send({ kind: 'batch', packed: packer.pack(records, 0, records.length), ... });
 * ```
 */
export class RecordPacker {
  readonly #prefix: string;
  readonly #redactor: Redactor;
  readonly #codes = new Map<string, string | number>();

  constructor(busId: string, redactor: Redactor) {
    this.#prefix = `${busId}:`;
    this.#redactor = redactor;
  }

  /** Packs `records[from..to)`. */
  pack(records: readonly DevtoolsRecord[], from: number, to: number): PackedRecords {
    const e: PackedItem[] = [];
    const kinds: PackedKind[] = [];
    const kindOf = new Map<string, number>();
    const ids: string[] = [];
    const t = from < to ? records[from]!.time : 0;
    let current = '';
    for (let i = from; i < to; i++) {
      const record = records[i]!;
      const type = record.type;
      if (type === 'delivered' || type === 'failed') {
        const eventId = record.eventId;
        if (eventId !== current) {
          current = eventId;
          let back = ids.length - 1;
          const stop = Math.max(0, ids.length - LOOKBACK);
          while (back >= stop && ids[back] !== eventId) back--;
          e.push(back >= stop ? back - ids.length : { e: eventId, t: record.time - t });
        }
        const subscription = this.#code(record.subscriptionId);
        const duration = record.durationMs;
        if (type === 'failed') {
          const error = record.error;
          const packed: PackedDelivery = [subscription, duration === undefined ? -1 : Math.round(duration * 1000), error.name, error.message];
          if (error.code !== undefined) packed.push(error.code);
          e.push(packed);
        } else if (duration !== undefined) e.push([subscription, Math.round(duration * 1000)]);
        else e.push(typeof subscription === 'number' ? subscription : [subscription, -1]);
      } else if (type === 'published') {
        const event = record.event;
        const id = event.id;
        const source = record.source === 'local' ? 0 : record.source;
        const aggregateType = event.aggregateType ?? 0;
        const background = record.background ? 1 : 0;
        // Few kinds per list: a scan finds one without allocating a key; a map past 32.
        let kind = -1;
        if (kinds.length <= 32) {
          for (let k = kinds.length - 1; k >= 0; k--) {
            const known = kinds[k]!;
            if (known[0] === event.type && known[1] === aggregateType && known[2] === source && known[3] === background) {
              kind = k;
              break;
            }
          }
        } else kind = kindOf.get(`${event.type}\n${aggregateType}\n${source}\n${background}`) ?? -1;
        if (kind === -1) {
          kind = kinds.push([event.type, aggregateType, source, background]) - 1;
          if (kinds.length > 32) for (let k = kindOf.size; k < kinds.length; k++) kindOf.set(kinds[k]!.join('\n'), k);
        }
        const cause = event.causationId;
        const correlation = event.correlationId;
        e.push(id, kind, record.time - t, event.aggregateId ?? 0, cause ?? 0, correlation === undefined ? 0 : correlation === cause ? 1 : correlation === id ? 2 : correlation);
        ids.push(id);
        current = id;
      } else if (type === 'dead-lettered') e.push({ ...record, error: summary(record.error) } satisfies DeadLetteredRecord);
      else e.push(this.#redactor.record(record as InspectionRecord));
    }
    return { t, k: kinds, e };
  }

  #code(subscriptionId: string): string | number {
    let code = this.#codes.get(subscriptionId);
    if (code === undefined) {
      const rest = subscriptionId.startsWith(this.#prefix) ? subscriptionId.slice(this.#prefix.length) : '';
      code = /^(0|[1-9]\d{0,8})$/.test(rest) ? Number(rest) : subscriptionId; // `007` would not come back as itself
      this.#codes.set(subscriptionId, code);
    }
    return code;
  }
}

/** An error's name, message and code: what the live stream says of a failure. */
export function summary(error: SerializedError): SerializedError {
  return error.code === undefined ? { name: error.name, message: error.message } : { name: error.name, message: error.message, code: error.code };
}

/**
 * The records of a packed list, in the order the bus emitted them (an event's deliveries right
 * after it). Events come back as {@link PublishedSummaryRecord}s, failures with their error's summary.
 * @throws {EventwireError} `INVALID_ARGUMENT` when `packed` is not a packed list
 * @example
 * ```ts
 * const records = unpackRecords(message.packed, message.sourceId);
 * ```
 */
export function unpackRecords(packed: unknown, busId: string): DevtoolsRecord[] {
  const list = packed as Partial<PackedRecords> | null;
  if (typeof list !== 'object' || list === null || !Array.isArray(list.e) || !Array.isArray(list.k) || typeof list.t !== 'number') {
    throw new EventwireError('INVALID_ARGUMENT', 'Devtools message: packed records expected');
  }
  const records: DevtoolsRecord[] = [];
  const { k: kinds, t, e: items } = list;
  const subscription = (code: unknown): string => (typeof code === 'number' ? `${busId}:${code}` : String(code));
  const events: { readonly id: string; readonly time: number }[] = [];
  let eventId = '';
  let time = t;
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (typeof item === 'string') {
      const kindIndex = items[i + 1] as number;
      const dt = items[i + 2] as number;
      const aggregateId = items[i + 3] as string | 0;
      const cause = items[i + 4] as string | 0;
      const correlation = items[i + 5] as string | 0 | 1 | 2;
      i += 5;
      const kind = kinds[kindIndex] ?? ['unknown', 0, 0, 0];
      const event: { -readonly [K in keyof EventSummary]: EventSummary[K] } = { id: item, type: kind[0] };
      if (kind[1] !== 0) event.aggregateType = kind[1];
      if (aggregateId !== 0) event.aggregateId = aggregateId;
      if (cause !== 0) event.causationId = cause;
      if (correlation !== 0) event.correlationId = correlation === 1 ? (cause as string) : correlation === 2 ? item : correlation;
      eventId = item;
      time = t + dt;
      events.push({ id: eventId, time });
      records.push({ type: 'published', busId, time, event, source: kind[2] === 0 ? 'local' : kind[2], background: kind[3] === 1, summary: true });
    } else if (typeof item === 'number') {
      if (item >= 0) records.push({ type: 'delivered', busId, time, eventId, subscriptionId: `${busId}:${item}` });
      else {
        const event = events[events.length + item];
        eventId = event?.id ?? '';
        time = event?.time ?? t;
      }
    } else if (Array.isArray(item)) {
      const micros = item[1] as number;
      const failed = item.length > 2;
      const record = { type: failed ? 'failed' : 'delivered', busId, time, eventId, subscriptionId: subscription(item[0]) } as { durationMs?: number; error?: SerializedError };
      if (micros >= 0) record.durationMs = micros / 1000;
      if (failed) record.error = item.length > 4 ? { name: item[2], message: item[3], code: item[4] } : { name: item[2], message: item[3] };
      records.push(record as InspectionRecord);
    } else if (typeof item === 'object' && item !== null && !('type' in item)) {
      eventId = String((item as PackedSwitch).e);
      time = t + Number((item as PackedSwitch).t);
    } else records.push(item as DevtoolsRecord);
  }
  return records;
}

/** Whether a record's event is whole (from a session of protocol 1 or 2, or a detail) or only its summary. */
export function isSummary(record: DevtoolsRecord): record is PublishedSummaryRecord {
  return record.type === 'published' && (record as Partial<PublishedSummaryRecord>).summary === true;
}
