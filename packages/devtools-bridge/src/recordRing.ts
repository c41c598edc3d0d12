import type { InspectionRecord } from '@eventwire/core';
import { eventOf } from './keptEvents.js';

/**
 * Records of a bridge that a batch left out: numbers `[from, to)` of the bridge's records, the
 * events and dead letters among them. The devtools show them as a gap and fetch them
 * (`get-range`) when the gap comes into view; the bridge keeps them while they are in its ring.
 */
export interface SkippedRecords {
  readonly from: number;
  readonly to: number;
  readonly events: number;
  readonly deadLetters: number;
}

/** What the ring gives a batch or a snapshot: the records to send, and what was left out. */
export interface RingSlice {
  readonly records: InspectionRecord[];
  readonly skipped: SkippedRecords | undefined;
}

/**
 * Whether a record is about one event (its dispatch, deliveries, dead letter): the records a
 * batch may leave out under a burst. Every other record (subscriptions, topology) is always sent.
 */
export function isEventRecord(record: InspectionRecord): boolean {
  const type = record.type;
  return type === 'dispatched' || type === 'published' || type === 'delivered' || type === 'failed' || type === 'dead-lettered';
}

/** How many records that must be sent (not about one event) wait at most between two batches. */
const MAX_ASIDE = 10_000;

/**
 * The bridge's buffer: its latest `capacity` inspection records, numbered from 0 as they come.
 * Adding one stores a reference and nothing else, so that the bus pays almost nothing per
 * event; the work (counting, packing, encoding) happens once per batch, on the records the
 * devtools are sent: a batch carries the newest `window` records and leaves the older ones
 * about single events out, as a {@link SkippedRecords} range the devtools can fetch.
 *
 * Each record is passed to `count` exactly once, before it can be overwritten.
 *
 * @example
 * ```ts
 * const ring = new RecordRing(20_000, (record) => totals.count(record));
 * bus.inspect((record) => ring.add(record), { summarize: true });
 * const { records, skipped } = ring.take(1000); // the newest 1000, and what was left out
 * ```
 */
export class RecordRing {
  readonly #capacity: number;
  readonly #count: (record: InspectionRecord) => void;
  readonly #records: InspectionRecord[] = [];
  /** Where the next record goes. */
  #at = 0;
  /** The next record's number: records added so far. */
  #next = 0;
  /** Records below this number were counted. */
  #counted = 0;
  /** Records below this number were sent or left out by a batch. */
  #sent = 0;
  /** Records not about one event that were overwritten before a batch sent them. */
  #aside: InspectionRecord[] = [];
  #asideDropped = 0;
  /** Events and dead letters overwritten before a batch sent them. */
  #lostEvents = 0;
  #lostLetters = 0;

  constructor(capacity: number, count: (record: InspectionRecord) => void) {
    this.#capacity = Math.max(1, capacity);
    this.#count = count;
  }

  /** The next record's number: how many records were added. */
  get head(): number {
    return this.#next;
  }

  /** The number of the oldest record kept. */
  get oldest(): number {
    return Math.max(0, this.#next - this.#capacity);
  }

  /** Records added since the last batch. */
  get unsent(): number {
    return this.#next - this.#sent;
  }

  /** Records of topology that waited too long for a batch and were dropped. */
  get droppedAside(): number {
    return this.#asideDropped;
  }

  /** The hot path: stores the record, over the oldest one once the ring is full. */
  add(record: InspectionRecord): void {
    const at = this.#at;
    if (this.#next < this.#capacity) this.#records.push(record);
    else {
      this.#overwrite(this.#records[at]!, this.#next - this.#capacity);
      this.#records[at] = record;
    }
    this.#at = at + 1 === this.#capacity ? 0 : at + 1;
    this.#next++;
  }

  /**
   * The records since the last batch, for the next one: every record not about one event, and
   * the newest `window` records whatever they are; the older event records are left out.
   */
  take(window: number): RingSlice {
    const head = this.#next;
    this.#countUpTo(head);
    const records = this.#aside;
    this.#aside = [];
    const slice = this.#slice(Math.max(this.#sent, this.oldest), head, window, records, this.#sent, this.#lostEvents, this.#lostLetters);
    this.#markSent(head);
    return slice;
  }

  /** Marks every record as sent: a devtools connects while none listened, and gets them in a snapshot. */
  markSent(): void {
    this.#countUpTo(this.#next);
    this.#aside = [];
    this.#markSent(this.#next);
  }

  #markSent(head: number): void {
    this.#sent = head;
    this.#lostEvents = 0;
    this.#lostLetters = 0;
  }

  /** What a devtools that connects now gets: as {@link take}, over every record kept. Marks nothing as sent. */
  snapshot(window: number): RingSlice {
    this.#countUpTo(this.#next);
    const from = this.oldest;
    return this.#slice(from, this.#next, window, [], from, 0, 0);
  }

  /**
   * The event records numbered `[from, to)` that are still kept (what a batch left out), then
   * the later deliveries of their events (async handlers that settled after `to`: sent in later
   * batches before the devtools had these events, or left out with no event of their own);
   * `missing` says how many records of the range were overwritten.
   */
  range(from: number, to: number): { readonly records: InspectionRecord[]; readonly missing: number } {
    const start = Math.max(from, this.oldest);
    const end = Math.min(to, this.#sent);
    const records: InspectionRecord[] = [];
    const eventIds = new Set<string>();
    for (let n = start; n < end; n++) {
      const record = this.#get(n);
      if (!isEventRecord(record)) continue;
      records.push(record);
      const event = eventOf(record);
      if (event !== undefined) eventIds.add(event.id);
    }
    for (let n = Math.max(end, this.oldest); n < this.#sent; n++) {
      const record = this.#get(n);
      if ((record.type === 'delivered' || record.type === 'failed') && eventIds.has(record.eventId)) records.push(record);
    }
    return { records, missing: Math.max(0, Math.min(start, to) - from) };
  }

  /** Every record kept, oldest first. */
  kept(): InspectionRecord[] {
    const records: InspectionRecord[] = [];
    for (let n = this.oldest; n < this.#next; n++) records.push(this.#get(n));
    return records;
  }

  #slice(from: number, head: number, window: number, records: InspectionRecord[], skippedFrom: number, lostEvents: number, lostLetters: number): RingSlice {
    const windowStart = Math.max(from, head - window);
    let events = lostEvents;
    let deadLetters = lostLetters;
    for (let n = from; n < windowStart; n++) {
      const record = this.#get(n);
      if (!isEventRecord(record)) records.push(record);
      else if (record.type === 'dead-lettered') deadLetters++;
      else if (eventOf(record) !== undefined) events++;
    }
    for (let n = windowStart; n < head; n++) records.push(this.#get(n));
    const skipped = skippedFrom < windowStart ? { from: skippedFrom, to: windowStart, events, deadLetters } : undefined;
    return { records, skipped };
  }

  #countUpTo(head: number): void {
    for (let n = Math.max(this.#counted, this.oldest); n < head; n++) this.#count(this.#get(n));
    this.#counted = head;
  }

  /** A record about to be overwritten: counted if it was not, kept aside if it must still be sent. */
  #overwrite(record: InspectionRecord, number: number): void {
    if (number >= this.#counted) {
      this.#count(record);
      this.#counted = number + 1;
    }
    if (number < this.#sent) return;
    if (isEventRecord(record)) {
      if (record.type === 'dead-lettered') this.#lostLetters++;
      else if (eventOf(record) !== undefined) this.#lostEvents++;
    } else if (this.#aside.length < MAX_ASIDE) this.#aside.push(record);
    else this.#asideDropped++;
  }

  #get(number: number): InspectionRecord {
    return this.#records[number % this.#capacity]!;
  }
}
