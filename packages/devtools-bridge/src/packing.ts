import { EventwireError, type AnyEvent, type DeadLetteredRecord, type InspectionRecord, type SerializedError } from '@eventwire/core';
import type { Redactor } from './redaction.js';

/**
 * A published event with the deliveries that followed it in the same batch, folded into one
 * array: `[event, time, source, background, ...deliveries]`. `source` is `0` for `local`;
 * `background` is `0` or `1`; each delivery is three numbers or strings: the subscription (a
 * number `n` for the bus's own subscription `<busId>:<n>`, else its id), the duration in whole
 * microseconds (`-1` when the dispatch was not timed), and its time minus the event's time; a
 * failed delivery is followed by its (redacted) error.
 */
export type PackedEvent = [event: AnyEvent, time: number, source: string | 0, background: 0 | 1, ...deliveries: (string | number | SerializedError)[]];
/** A `delivered` record whose event went out in an earlier batch: `[eventId, time, subscription, microseconds]`. */
export type PackedDelivery = [eventId: string, time: number, subscription: string | number, micros: number];
/**
 * A `dead-lettered` record whose error is the one of its event's failed delivery, folded into the
 * event earlier in the same list (`error: 0`): the stack is not sent twice.
 */
export type PackedDeadLetter = Omit<DeadLetteredRecord, 'error'> & { readonly error: 0 };

/**
 * How snapshots and batches carry records on the wire: far smaller than the records as objects
 * (a delivery is three short numbers instead of a six-field object that repeats the bus and
 * event ids), so the sending page spends less on encoding and the devtools on parsing. Other
 * records are sent whole. `unpackRecords` gives the records back.
 */
export type PackedRecords = readonly (PackedEvent | PackedDelivery | PackedDeadLetter | InspectionRecord)[];

/**
 * Encodes a bus's records for the wire, redacting each event once. Deliveries follow their event;
 * durations keep microseconds (finer than browsers' clocks).
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

  /** Packs `records[from..to)`; each published event is redacted here, once. */
  pack(records: readonly InspectionRecord[], from: number, to: number): PackedRecords {
    const packed: (PackedEvent | PackedDelivery | PackedDeadLetter | InspectionRecord)[] = [];
    const open = new Map<string, PackedEvent>();
    // Dead letters: the bus reports one while its delivery fails, before the `failed` record.
    // Each waits, unredacted, for that record; `deadSlots` makes sure every one is redacted below.
    const deadLetters = new Map<string, number>();
    const deadSlots: number[] = [];
    let last: PackedEvent | undefined;
    let lastId = '';
    for (let i = from; i < to; i++) {
      const record = records[i]!;
      if (record.type === 'published') {
        lastId = record.event.id;
        last = [this.#redactor.event(record.event), record.time, record.source === 'local' ? 0 : record.source, record.background ? 1 : 0];
        open.set(lastId, last);
        packed.push(last);
      } else if (record.type === 'delivered' || record.type === 'failed') {
        const entry = record.eventId === lastId ? last : open.get(record.eventId);
        const micros = record.durationMs === undefined ? -1 : Math.round(record.durationMs * 1000);
        if (entry !== undefined) {
          entry.push(this.#code(record.subscriptionId), micros, record.time - entry[1]);
          if (record.type === 'failed') {
            entry.push(this.#redactor.error(record.error));
            const slot = deadLetters.get(record.eventId);
            const dead = slot === undefined ? undefined : (packed[slot] as DeadLetteredRecord);
            if (dead !== undefined && sameError(record.error, dead.error)) packed[slot!] = { ...dead, error: 0 };
          }
        } else if (record.type === 'delivered') packed.push([record.eventId, record.time, this.#code(record.subscriptionId), micros]);
        else packed.push(this.#redactor.record(record));
      } else if (record.type === 'dead-lettered') {
        deadLetters.set(record.eventId, packed.length);
        deadSlots.push(packed.length);
        packed.push(record);
      } else packed.push(this.#redactor.record(record));
    }
    for (const slot of deadSlots) {
      const dead = packed[slot] as DeadLetteredRecord | PackedDeadLetter;
      if (dead.error !== 0) packed[slot] = this.#redactor.record(dead as DeadLetteredRecord);
    }
    return packed;
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

/**
 * The records of a packed list, as the bus emitted them (deliveries right after their event).
 * @throws {EventwireError} `INVALID_ARGUMENT` when `packed` is not a packed list
 * @example
 * ```ts
 * const records = unpackRecords(message.packed, message.sourceId);
 * ```
 */
export function unpackRecords(packed: unknown, busId: string): InspectionRecord[] {
  if (!Array.isArray(packed)) throw new EventwireError('INVALID_ARGUMENT', 'Devtools message: packed records expected');
  const records: InspectionRecord[] = [];
  const subscription = (code: unknown): string => (typeof code === 'number' ? `${busId}:${code}` : String(code));
  const failures = new Map<string, SerializedError>();
  for (const entry of packed as unknown[]) {
    if (!Array.isArray(entry)) {
      const record = entry as InspectionRecord | PackedDeadLetter;
      records.push(record.type === 'dead-lettered' && record.error === 0 ? { ...record, error: failures.get(record.eventId) ?? { name: 'Error', message: '' } } : (record as InspectionRecord));
      continue;
    }
    if (typeof entry[0] === 'string') {
      records.push(delivery(busId, entry[1], entry[0], subscription(entry[2]), entry[3]));
      continue;
    }
    const event = entry[0] as AnyEvent;
    const time = entry[1] as number;
    records.push({ type: 'published', busId, time, event, source: entry[2] === 0 ? 'local' : String(entry[2]), background: entry[3] === 1 });
    for (let i = 4; i + 2 < entry.length; i += 3) {
      const error: unknown = entry[i + 3];
      const failed = typeof error === 'object' && error !== null;
      records.push(delivery(busId, time + entry[i + 2], event.id, subscription(entry[i]), entry[i + 1], failed ? (error as SerializedError) : undefined));
      if (failed) {
        failures.set(event.id, error as SerializedError);
        i++;
      }
    }
  }
  return records;
}

function delivery(busId: string, time: number, eventId: string, subscriptionId: string, micros: number, error?: SerializedError): InspectionRecord {
  const record = { type: error === undefined ? 'delivered' : 'failed', busId, time, eventId, subscriptionId } as { durationMs?: number; error?: SerializedError };
  if (micros >= 0) record.durationMs = micros / 1000;
  if (error !== undefined) record.error = error;
  return record as InspectionRecord;
}

/** Whether a dead letter's error is the failed delivery's (the same failure, serialized twice). */
function sameError(failed: SerializedError, error: SerializedError): boolean {
  return (
    failed.stack === error.stack &&
    failed.message === error.message &&
    failed.name === error.name &&
    failed.code === error.code &&
    failed.details === undefined &&
    error.details === undefined
  );
}
