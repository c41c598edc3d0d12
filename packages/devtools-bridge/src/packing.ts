import { EventwireError, type AnyEvent, type DeadLetteredRecord, type DispatchedRecord, type InspectionRecord, type PublishedRecord, type SerializedError } from '@eventwire/core';
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
/**
 * What events of a list share: `[type, aggregateType or 0, source or 0 for local, background 0 or 1]`,
 * and for an event the bus summarized (a `dispatched` record), the index in the list's `r` of the
 * subscriptions its handlers delivered to without anything else to say (not timed, not failed,
 * not pending).
 */
export type PackedKind = [type: string, aggregateType: string | 0, source: string | 0, background: 0 | 1, delivered?: number];
/**
 * A dead letter of the current event whose error is the one its latest failed delivery in the
 * list reported (protocol 4): `l` the consumer, `a` the attempts, `t` ms after the list's `t`.
 */
export interface PackedDeadLetter {
  readonly l: string;
  readonly a: number;
  readonly t: number;
}
/**
 * One item of a packed list. The list is a flat stream, read in order:
 * - a string starts an event: `id, kind, Δtime, aggregateId, causationId, correlationId`, where
 *   `kind` indexes the list's `k`, `Δtime` is ms after the list's `t`, an absent id is `0`, and the
 *   correlation id is `1` when it is the causation id, `2` when it is the event's own id; when the
 *   kind names a list of `r`, the event was delivered to those subscriptions, not timed (protocol 4);
 * - a number `n >= 0` is a delivery of the current event to subscription `<busId>:<n>`, not timed;
 * - a {@link PackedDelivery} array is any other delivery of the current event;
 * - a negative number `-d` makes the `d`-th latest event of the list current again (its async handlers settled);
 * - a {@link PackedSwitch} makes an event of an earlier list current;
 * - a {@link PackedDeadLetter} is a dead letter of the current event;
 * - an object with a `type` is any other record, whole (errors of dead letters as summaries,
 *   of rejections redacted).
 */
export type PackedItem = string | number | 0 | PackedDelivery | PackedSwitch | PackedDeadLetter | DevtoolsRecord;

/**
 * How snapshots and batches carry records on the wire (protocol 4): a flat list of ids and small
 * numbers (no object per event, no payload), cheap to build and to encode. A summarized dispatch
 * (core's `dispatched` record) costs its event's six items: its plain deliveries are named by its kind. `unpackRecords` gives
 * the records back.
 */
export interface PackedRecords {
  /** The time (ms since the epoch) that events' `Δtime` count from. */
  readonly t: number;
  /** The kinds of the list's events. */
  readonly k: readonly PackedKind[];
  /** Lists of subscriptions (as deliveries are: `n` for `<busId>:<n>`, else the id) that kinds point to (protocol 4). */
  readonly r?: readonly (readonly (string | number)[])[];
  /** The stream (see {@link PackedItem}). */
  readonly e: readonly PackedItem[];
}

/** How far back a delivery's event is looked up among the list's latest events before it is named by id. */
const LOOKBACK = 64;

/**
 * Encodes a slice of a bus's records for the live stream: ids and small numbers. No payload is
 * read, copied or redacted here: the stream carries none (see {@link EventSummary}). What lists
 * share (subscription codes, routes) is kept across lists.
 * @example
 * ```ts
 * const packer = new RecordPacker(bus.id, createRedactor(['password']));
 * const { records } = ring.take(1000);
 * channel.send({ kind: 'batch', packed: packer.pack(records, 0, records.length), ... });
 * ```
 */
export class RecordPacker {
  readonly #prefix: string;
  readonly #redactor: Redactor;
  readonly #codes = new Map<string, string | number>();
  /** Plain deliveries by route (its frozen id list) and the places left out. */
  readonly #routes = new WeakMap<readonly string[], Map<number | string, readonly (string | number)[] | undefined>>();
  readonly #plain = (open: OpenDispatch): readonly (string | number)[] | undefined => this.#plainDeliveries(open);
  #lastIds: readonly string[] | undefined;
  #lastKey: number | string = -1;
  #lastCodes: readonly (string | number)[] | undefined;

  constructor(busId: string, redactor: Redactor) {
    this.#prefix = `${busId}:`;
    this.#redactor = redactor;
  }

  /** Packs `records[from..to)` into a list of their own. */
  pack(records: readonly DevtoolsRecord[], from: number, to: number): PackedRecords {
    const list = new PackedList(from < to ? records[from]!.time : 0, this.#plain);
    for (let i = from; i < to; i++) this.#add(list, records[i]!);
    return this.#done(list);
  }

  #done(list: PackedList): PackedRecords {
    if (list.deferred !== undefined) list.e.push(this.#deadLetter(list, list.deferred));
    return list.done();
  }

  #add(list: PackedList, record: DevtoolsRecord): void {
    const e = list.e;
    const type = record.type;
    // A store reports a dead letter while the handlers still run, before the dispatch's record:
    // it waits for that record, to be written after the failure it repeats.
    const letter = list.deferred;
    if (letter !== undefined && (type !== 'dispatched' || record.event.id !== letter.eventId)) e.push(this.#deadLetter(list, letter));
    if (type === 'dead-lettered' && !list.isLastFailure(record.eventId, record.error)) {
      list.deferred = record;
      return;
    }
    if (type === 'delivered' || type === 'failed') {
      const duration = record.durationMs;
      // An async handler of the open dispatch that settled before anything else happened: folded into its plain deliveries.
      if (type === 'delivered' && duration === undefined && list.settle(record.eventId, record.subscriptionId)) return;
      list.switchTo(record.eventId, record.time);
      const subscription = this.#code(record.subscriptionId);
      if (type === 'failed') e.push(list.failed(failedDelivery(subscription, duration, record.error)));
      else if (duration !== undefined) e.push([subscription, Math.round(duration * 1000)]);
      else e.push(typeof subscription === 'number' ? subscription : [subscription, -1]);
    } else if (type === 'dispatched') this.#addDispatched(list, record);
    else if (type === 'published') list.event(record.event, record.time, record.source, record.background, undefined);
    else if (type === 'dead-lettered') e.push(this.#deadLetter(list, record));
    else e.push(this.#redactor.record(record as InspectionRecord));
  }

  /** A dead letter: a few fields when it repeats the latest failure of the current event, else whole (with its error's summary). */
  #deadLetter(list: PackedList, record: DeadLetteredRecord): PackedItem {
    list.deferred = undefined;
    if (list.isLastFailure(record.eventId, record.error)) return { l: record.consumer, a: record.attempts, t: record.time - list.t };
    return { ...record, error: summary(record.error) } satisfies DeadLetteredRecord;
  }

  /** A summarized dispatch: the event, its plain deliveries as one index (in its kind), then the deliveries with more to say. */
  #addDispatched(list: PackedList, record: DispatchedRecord): void {
    const { subscriptionIds: ids, failures, pending, durationsMs } = record;
    list.event(record.event, record.time, record.source, record.background, durationsMs === undefined ? record : undefined);
    const e = list.e;
    if (durationsMs === undefined) {
      if (failures !== undefined) for (const failure of failures) e.push(list.failed(failedDelivery(this.#code(ids[failure.index]!), undefined, failure.error)));
    } else {
      // Timed: every delivery that returned is listed with its duration.
      for (let i = 0; i < ids.length; i++) {
        if (pending?.includes(i) === true) continue;
        const failure = failures?.find((candidate) => candidate.index === i);
        const code = this.#code(ids[i]!);
        e.push(failure === undefined ? [code, Math.round(durationsMs[i]! * 1000)] : list.failed(failedDelivery(code, durationsMs[i], failure.error)));
      }
    }
    if (list.deferred !== undefined) e.push(this.#deadLetter(list, list.deferred));
  }


  /**
   * The codes of a dispatch's subscriptions minus the failed ones and the pending ones that
   * have not settled: one list per route and places left out, kept across lists (the same few
   * come back with every event of a type).
   */
  #plainDeliveries(open: OpenDispatch): readonly (string | number)[] | undefined {
    const ids = open.ids;
    const key = open.leftOut();
    if (ids === this.#lastIds && key === this.#lastKey) return this.#lastCodes;
    let byKey = this.#routes.get(ids);
    if (byKey === undefined) this.#routes.set(ids, (byKey = new Map()));
    let codes = byKey.get(key);
    if (codes === undefined && !byKey.has(key)) {
      const list: (string | number)[] = [];
      for (let i = 0; i < ids.length; i++) if (!open.isLeftOut(i)) list.push(this.#code(ids[i]!));
      codes = list.length > 0 ? list : undefined;
      byKey.set(key, codes);
    }
    this.#lastIds = ids;
    this.#lastKey = key;
    this.#lastCodes = codes;
    return codes;
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

function failedDelivery(subscription: string | number, duration: number | undefined, error: SerializedError): PackedDelivery {
  const packed: PackedDelivery = [subscription, duration === undefined ? -1 : Math.round(duration * 1000), error.name, error.message];
  if (error.code !== undefined) packed.push(error.code);
  return packed;
}

/**
 * The latest summarized dispatch of a list, while its kind is not written yet: the pending
 * handlers that settle (delivered, not timed) before another event comes join its plain deliveries.
 */
class OpenDispatch {
  #record: DispatchedRecord | undefined;
  /** Pending places (below 30) that have settled, as bits. */
  #settled = 0;

  /** The open dispatch's record; `undefined` while none is open. */
  get record(): DispatchedRecord | undefined {
    return this.#record;
  }

  get ids(): readonly string[] {
    return this.#record?.subscriptionIds ?? [];
  }

  /** Opens a dispatch (one object per list, reused: nothing is allocated per event). */
  open(record: DispatchedRecord | undefined): void {
    this.#record = record;
    this.#settled = 0;
  }

  /** Marks a pending handler of this dispatch as delivered; false when it is not one. */
  settle(subscriptionId: string): boolean {
    const record = this.#record;
    const pending = record?.pending;
    if (pending === undefined) return false;
    for (let i = 0; i < pending.length; i++) {
      const place = pending[i]!;
      if (place < 30 && (this.#settled & (1 << place)) === 0 && record!.subscriptionIds[place] === subscriptionId) {
        this.#settled |= 1 << place;
        return true;
      }
    }
    return false;
  }

  isLeftOut(place: number): boolean {
    const { failures, pending } = this.#record!;
    if (failures?.some((failure) => failure.index === place) === true) return true;
    return pending?.includes(place) === true && (place >= 30 || (this.#settled & (1 << place)) === 0);
  }

  /** The places left out of the plain deliveries (failed, pending and not settled), as bits, or a string past 30 handlers. */
  leftOut(): number | string {
    const { failures, pending } = this.#record!;
    let key = 0;
    let wide = false;
    for (let i = 0; failures !== undefined && i < failures.length; i++) {
      const place = failures[i]!.index;
      if (place < 30) key |= 1 << place;
      else wide = true;
    }
    for (let i = 0; pending !== undefined && i < pending.length; i++) {
      const place = pending[i]!;
      if (place < 30) key |= 1 << place;
      else wide = true;
    }
    key &= ~this.#settled;
    if (!wide) return key;
    return this.ids.map((_, place) => (this.isLeftOut(place) ? 1 : 0)).join('');
  }
}

/** One packed list being written: its events' kinds, the lists of plain deliveries, the current event. */
class PackedList {
  readonly t: number;
  readonly e: PackedItem[] = [];
  readonly #plain: (open: OpenDispatch) => readonly (string | number)[] | undefined;
  readonly #kinds: PackedKind[] = [];
  readonly #kindOf = new Map<string, number>();
  readonly #routes: (readonly (string | number)[])[] = [];
  readonly #routeOf = new Map<readonly (string | number)[], number>();
  readonly #ids: string[] = [];
  #current = '';
  /** The open dispatch, its kind's place in `e`, and what the kind says but its plain deliveries. */
  readonly #open = new OpenDispatch();
  #openAt = 0;
  #lastRoute: readonly (string | number)[] | undefined;
  #lastRouteIndex = 0;
  #lastKind = -1;
  /** A dead letter waiting for its dispatch's record. */
  deferred: DeadLetteredRecord | undefined;
  #lastFailure: PackedDelivery | undefined;
  #lastFailureOf = '';

  constructor(t: number, plain: (open: OpenDispatch) => readonly (string | number)[] | undefined) {
    this.t = t;
    this.#plain = plain;
  }

  /**
   * Starts an event: its id, kind, time and ids (see {@link PackedItem}). The kind of a
   * summarized dispatch is written when the next thing happens, once its plain deliveries are known.
   */
  event(event: EventSummary | AnyEvent, time: number, source: string, background: boolean, dispatch: DispatchedRecord | undefined): void {
    this.#closeDispatch();
    const id = event.id;
    const cause = event.causationId;
    const correlation = event.correlationId;
    let kind = -1;
    if (dispatch === undefined) kind = this.#kind(event.type, event.aggregateType ?? 0, source === 'local' ? 0 : source, background ? 1 : 0, undefined);
    else {
      this.#open.open(dispatch);
      this.#openAt = this.e.length + 1;
    }
    this.e.push(id, kind, time - this.t, event.aggregateId ?? 0, cause ?? 0, correlation === undefined ? 0 : correlation === cause ? 1 : correlation === id ? 2 : correlation);
    this.#ids.push(id);
    this.#current = id;
  }

  /**
   * Folds a settled async delivery into the open dispatch (until another event starts or is
   * switched to); false when it is not one of its pending handlers.
   */
  settle(eventId: string, subscriptionId: string): boolean {
    const open = this.#open;
    return open.record?.event.id === eventId && open.settle(subscriptionId);
  }

  /** Notes a failed delivery of the current event (a dead letter of it may say "the same error"). */
  failed(delivery: PackedDelivery): PackedDelivery {
    this.#lastFailure = delivery;
    this.#lastFailureOf = this.#current;
    return delivery;
  }

  /** Whether `error` is what the latest failed delivery of `eventId`, the current event, said. */
  isLastFailure(eventId: string, error: SerializedError): boolean {
    const last = this.#lastFailure;
    return last !== undefined && this.#lastFailureOf === eventId && this.#current === eventId && last[2] === error.name && last[3] === error.message && last[4] === error.code;
  }

  /** Makes `eventId` the event the deliveries that follow belong to. */
  switchTo(eventId: string, time: number): void {
    if (eventId === this.#current) return;
    this.#closeDispatch();
    this.#current = eventId;
    const ids = this.#ids;
    let back = ids.length - 1;
    const stop = Math.max(0, ids.length - LOOKBACK);
    while (back >= stop && ids[back] !== eventId) back--;
    this.e.push(back >= stop ? back - ids.length : { e: eventId, t: time - this.t });
  }

  done(): PackedRecords {
    this.#closeDispatch();
    return this.#routes.length > 0 ? { t: this.t, k: this.#kinds, e: this.e, r: this.#routes } : { t: this.t, k: this.#kinds, e: this.e };
  }

  #closeDispatch(): void {
    const open = this.#open;
    const record = open.record;
    if (record === undefined) return;
    const plain = this.#plain(open);
    open.open(undefined);
    const { event, source } = record;
    this.e[this.#openAt] = this.#kind(event.type, event.aggregateType ?? 0, source === 'local' ? 0 : source, record.background ? 1 : 0, plain === undefined ? undefined : this.#route(plain));
  }

  #route(codes: readonly (string | number)[]): number {
    if (codes === this.#lastRoute) return this.#lastRouteIndex;
    let index = this.#routeOf.get(codes);
    if (index === undefined) this.#routeOf.set(codes, (index = this.#routes.push(codes) - 1));
    this.#lastRoute = codes;
    return (this.#lastRouteIndex = index);
  }

  // Few kinds per list: a scan finds one without allocating a key; a map past 32.
  #kind(type: string, aggregateType: string | 0, source: string | 0, background: 0 | 1, route: number | undefined): number {
    const kinds = this.#kinds;
    const last = kinds[this.#lastKind];
    if (last !== undefined && last[0] === type && last[1] === aggregateType && last[2] === source && last[3] === background && last[4] === route) return this.#lastKind;
    const index = this.#findKind(type, aggregateType, source, background, route);
    return (this.#lastKind = index);
  }

  #findKind(type: string, aggregateType: string | 0, source: string | 0, background: 0 | 1, route: number | undefined): number {
    const kinds = this.#kinds;
    if (kinds.length <= 32) {
      for (let k = kinds.length - 1; k >= 0; k--) {
        const known = kinds[k]!;
        if (known[0] === type && known[1] === aggregateType && known[2] === source && known[3] === background && known[4] === route) return k;
      }
    } else {
      const found = this.#kindOf.get(`${type}\n${aggregateType}\n${source}\n${background}\n${route}`);
      if (found !== undefined) return found;
    }
    const kind: PackedKind = [type, aggregateType, source, background];
    if (route !== undefined) kind.push(route);
    const index = kinds.push(kind) - 1;
    if (kinds.length > 32) for (let k = this.#kindOf.size; k < kinds.length; k++) this.#kindOf.set(`${kinds[k]!.slice(0, 4).join('\n')}\n${kinds[k]![4]}`, k);
    return index;
  }
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
  const routes = Array.isArray(list.r) ? list.r : undefined;
  const subscription = (code: unknown): string => (typeof code === 'number' ? `${busId}:${code}` : String(code));
  const events: { readonly id: string; readonly time: number }[] = [];
  let eventId = '';
  let time = t;
  let lastError: SerializedError | undefined;
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (typeof item === 'string') {
      const kindIndex = items[i + 1] as number;
      const dt = items[i + 2] as number;
      const aggregateId = items[i + 3] as string | 0;
      const cause = items[i + 4] as string | 0;
      const correlation = items[i + 5] as string | 0 | 1 | 2;
      i += 5;
      const kind: PackedKind = kinds[kindIndex] ?? ['unknown', 0, 0, 0];
      const event: { -readonly [K in keyof EventSummary]: EventSummary[K] } = { id: item, type: kind[0] };
      if (kind[1] !== 0) event.aggregateType = kind[1];
      if (aggregateId !== 0) event.aggregateId = aggregateId;
      if (cause !== 0) event.causationId = cause;
      if (correlation !== 0) event.correlationId = correlation === 1 ? (cause as string) : correlation === 2 ? item : correlation;
      eventId = item;
      time = t + dt;
      events.push({ id: eventId, time });
      records.push({ type: 'published', busId, time, event, source: kind[2] === 0 ? 'local' : kind[2], background: kind[3] === 1, summary: true });
      const delivered = kind[4] === undefined ? undefined : routes?.[kind[4]];
      if (delivered !== undefined) for (const code of delivered) records.push({ type: 'delivered', busId, time, eventId: item, subscriptionId: subscription(code) });
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
      if (failed) lastError = record.error = item.length > 4 ? { name: item[2], message: item[3], code: item[4] } : { name: item[2], message: item[3] };
      records.push(record as InspectionRecord);
    } else if (typeof item === 'object' && item !== null && 'l' in item) {
      const letter = item as PackedDeadLetter;
      records.push({ type: 'dead-lettered', busId, time: t + Number(letter.t), eventId, consumer: String(letter.l), attempts: Number(letter.a), error: lastError ?? { name: 'Error', message: '' } });
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
