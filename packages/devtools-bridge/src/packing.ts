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
 * A delivery of an event to one subscription. The subscription is a number `n` for the bus's own
 * subscription `<busId>:<n>`, else its id:
 * - `n` (or the id): delivered, not timed;
 * - `[n, µs]`: delivered in `µs` whole microseconds;
 * - `[n, µs, name, message, code?]`: failed (`µs` is `-1` when not timed) with its error's summary;
 *   the whole error (stack cut, details redacted) comes with the event's detail.
 */
export type PackedDelivery = string | number | [subscription: string | number, micros: number, ...error: string[]];
/**
 * An event of the live stream: `[id, kind, Δtime, aggregateId, causationId, correlationId, ...deliveries]`.
 * `kind` indexes the list's `k` table; `Δtime` is milliseconds after the list's `t`; an absent id is
 * `0`; the correlation id is `1` when it is the causation id, `2` when it is the event's own id.
 */
export type PackedEvent = [id: string, kind: number, dt: number, aggregateId: string | 0, causationId: string | 0, correlationId: string | 0 | 1 | 2, ...deliveries: PackedDelivery[]];
/** Deliveries of an event sent in an earlier list: `[0, eventId, Δtime, ...deliveries]`. */
export type PackedLate = [0, eventId: string, dt: number, ...deliveries: PackedDelivery[]];
/** What events of a list share: `[type, aggregateType or 0, source or 0 for local, background 0 or 1]`. */
export type PackedKind = [type: string, aggregateType: string | 0, source: string | 0, background: 0 | 1];

/**
 * How snapshots and batches carry records on the wire (protocol 3): each event is a short array
 * of ids and small numbers with its deliveries folded in, and no payload. Other records are sent
 * whole (errors of dead letters as summaries, of rejections redacted). `unpackRecords` gives the
 * records back.
 */
export interface PackedRecords {
  /** The time (ms since the epoch) that events' `Δtime` count from. */
  readonly t: number;
  /** The kinds of the list's events. */
  readonly k: readonly PackedKind[];
  /** Events, late deliveries and other records, in the order the bus emitted them. */
  readonly e: readonly (PackedEvent | PackedLate | DevtoolsRecord)[];
}

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
    const entries: (PackedEvent | PackedLate | DevtoolsRecord)[] = [];
    const kinds: PackedKind[] = [];
    const kindOf = new Map<string, number>();
    const open = new Map<string, PackedEvent | PackedLate>();
    const t = from < to ? records[from]!.time : 0;
    let last: PackedEvent | PackedLate | undefined;
    let lastId = '';
    for (let i = from; i < to; i++) {
      const record = records[i]!;
      const type = record.type;
      if (type === 'published') {
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
        last = [
          id,
          kind,
          record.time - t,
          event.aggregateId ?? 0,
          cause ?? 0,
          correlation === undefined ? 0 : correlation === cause ? 1 : correlation === id ? 2 : correlation,
        ];
        lastId = id;
        open.set(id, last);
        entries.push(last);
      } else if (type === 'delivered' || type === 'failed') {
        const eventId = record.eventId;
        let entry = eventId === lastId ? last : open.get(eventId);
        if (entry === undefined) {
          entry = [0, eventId, record.time - t];
          open.set(eventId, entry);
          entries.push(entry);
        }
        const subscription = this.#code(record.subscriptionId);
        const duration = record.durationMs;
        if (type === 'failed') {
          const error = record.error;
          const packed: PackedDelivery = [subscription, duration === undefined ? -1 : Math.round(duration * 1000), error.name, error.message];
          if (error.code !== undefined) packed.push(error.code);
          entry.push(packed);
        } else entry.push(duration === undefined ? subscription : [subscription, Math.round(duration * 1000)]);
      } else if (type === 'dead-lettered') entries.push({ ...record, error: summary(record.error) } satisfies DeadLetteredRecord);
      else entries.push(this.#redactor.record(record as InspectionRecord));
    }
    return { t, k: kinds, e: entries };
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
  const kinds = list.k;
  const t = list.t;
  const subscription = (code: unknown): string => (typeof code === 'number' ? `${busId}:${code}` : String(code));
  for (const entry of list.e as unknown[]) {
    if (!Array.isArray(entry)) {
      records.push(entry as DevtoolsRecord);
      continue;
    }
    let eventId: string;
    let time: number;
    let first: number;
    if (entry[0] === 0) {
      eventId = String(entry[1]);
      time = t + (entry[2] as number);
      first = 3;
    } else {
      const [id, kindIndex, dt, aggregateId, cause, correlation] = entry as PackedEvent;
      const kind = kinds[kindIndex] ?? ['unknown', 0, 0, 0];
      eventId = id;
      time = t + dt;
      first = 6;
      const event: { -readonly [K in keyof EventSummary]: EventSummary[K] } = { id, type: kind[0] };
      if (kind[1] !== 0) event.aggregateType = kind[1];
      if (aggregateId !== 0) event.aggregateId = aggregateId;
      if (cause !== 0) event.causationId = cause;
      if (correlation !== 0) event.correlationId = correlation === 1 ? (cause as string) : correlation === 2 ? id : correlation;
      records.push({ type: 'published', busId, time, event, source: kind[2] === 0 ? 'local' : kind[2], background: kind[3] === 1, summary: true });
    }
    for (let i = first; i < entry.length; i++) {
      const item: unknown = entry[i];
      if (!Array.isArray(item)) {
        records.push({ type: 'delivered', busId, time, eventId, subscriptionId: subscription(item) });
        continue;
      }
      const micros = item[1] as number;
      const record = { type: item.length > 2 ? 'failed' : 'delivered', busId, time, eventId, subscriptionId: subscription(item[0]) } as {
        durationMs?: number;
        error?: SerializedError;
      };
      if (micros >= 0) record.durationMs = micros / 1000;
      if (item.length > 2) record.error = item.length > 4 ? { name: item[2], message: item[3], code: item[4] } : { name: item[2], message: item[3] };
      records.push(record as InspectionRecord);
    }
  }
  return records;
}

/** Whether a record's event is whole (from a session of protocol 1 or 2, or a detail) or only its summary. */
export function isSummary(record: DevtoolsRecord): record is PublishedSummaryRecord {
  return record.type === 'published' && (record as Partial<PublishedSummaryRecord>).summary === true;
}
