import type {
  AnyEvent,
  DeadLetteredRecord,
  EventBusStats,
  InspectionRecord,
  LeaderRecord,
  PeerInfo,
  RejectedRecord,
  SerializedError,
  StoredEvent,
  SubscriptionInfo,
  UnrecordedRecord,
} from '@eventwire/core';
import type { DevtoolsRecord, EventSummary, SourceInfo, SubscriptionTotals } from '@eventwire/devtools-bridge';
import { RateSeries } from './rateSeries.js';

// TYPES

/** One handler's part in one event. */
export interface DeliveryView {
  readonly subscriptionId: string;
  readonly handlerName: string;
  readonly kind: SubscriptionInfo['kind'];
  readonly outcome: 'ok' | 'failed';
  /** Absent when the bus did not time this dispatch (it samples: `timeOneIn`). */
  readonly durationMs?: number;
  /** Its summary (name, message) from the live stream; the whole error once the event's detail is fetched. */
  error?: SerializedError;
}

/**
 * Whether the devtools hold an event's payload: `whole` (from a session file, or fetched),
 * `remote` (the live stream sends summaries: the bridge has it), `loading`, or `gone` (the
 * bridge no longer keeps it).
 */
export type PayloadState = 'whole' | 'remote' | 'loading' | 'gone';

/** An event as far as the devtools know it: its summary, and the rest once fetched. */
export type EventView = EventSummary & Partial<AnyEvent>;

/** One published event as the devtools show it. */
export interface EventEntry {
  /** Arrival order across all sources. */
  readonly seq: number;
  readonly sourceId: string;
  /** The summary; replaced by the whole (redacted) event when its payload arrives. */
  event: EventView;
  payload: PayloadState;
  readonly time: number;
  /** `local`, or the transport that brought the event. */
  readonly origin: string;
  readonly background: boolean;
  readonly deliveries: DeliveryView[];
  failures: number;
  /** The longest timed delivery; undefined while none was timed. */
  totalMs: number | undefined;
  stored?: { readonly store: string; readonly streamId: string; readonly position: number };
}

/** A subscription with what the devtools counted for it. */
export interface SubscriptionView {
  readonly info: SubscriptionInfo;
  active: boolean;
  readonly since: number;
  until?: number;
  delivered: number;
  failed: number;
  /** Deliveries that came with a duration (the bus may time one dispatch in several). */
  timed: number;
  /** The sum and the maximum of the timed deliveries' durations. */
  totalMs: number;
  maxMs: number;
  lastError?: SerializedError;
}

export const emptyStats: EventBusStats = { eventsPublished: 0, handlersInvoked: 0, handlerErrors: 0, backgroundTasksCreated: 0, backgroundTasksCompleted: 0 };

/**
 * Everything the devtools know about one bus: rebuilt from its inspection records only.
 */
export class SourceState {
  info: SourceInfo;
  connected = true;
  paused = false;
  dropped = 0;
  stats: EventBusStats = emptyStats;
  backgroundPending = 0;
  readonly subscriptions = new Map<string, SubscriptionView>();
  readonly events: EventEntry[] = [];
  readonly log: DevtoolsRecord[] = [];
  readonly series = new RateSeries();
  readonly peers = new Map<string, { peer: PeerInfo; status: 'joined' | 'left'; time: number }>();
  readonly leaders = new Map<string, LeaderRecord>();
  readonly stores = new Map<string, { position: number; appended: number; lastStream: string; time: number }>();
  readonly projections = new Map<string, { position: number; lag: number | undefined; time: number }>();
  readonly transports = new Map<string, { in: number; out: number; peers: Set<string>; time: number }>();
  readonly deadLetters: DeadLetteredRecord[] = [];
  readonly rejected: RejectedRecord[] = [];
  storeHistory: StoredEvent[] = [];
  storeLastPosition: number | undefined;
  /** The entry of the latest published event. */
  #latest: EventEntry | undefined;

  constructor(info: SourceInfo) {
    this.info = info;
  }

  reset(): void {
    this.subscriptions.clear();
    this.events.length = 0;
    this.#latest = undefined;
    this.log.length = 0;
    this.series.clear();
    for (const map of [this.peers, this.leaders, this.stores, this.projections, this.transports]) map.clear();
    this.deadLetters.length = 0;
    this.rejected.length = 0;
  }

  /**
   * Drops the log's records of events no longer kept: their published, delivered and failed
   * records, and any other record of an occurrence (background work, transport batches, stored
   * events, checkpoints) from before the oldest kept event. Records that describe the bus (init,
   * subscriptions, peers, leaders, dead letters) stay. The log is what an export saves: it stays
   * as bounded as the event list.
   */
  trimLog(): void {
    const oldestTime = this.events[0]?.time ?? Infinity;
    const kept = new Set(this.events.map((entry) => entry.event.id));
    let length = 0;
    for (const record of this.log) if (keepsRecord(record, kept, oldestTime)) this.log[length++] = record;
    this.log.length = length;
  }

  /** The handler name of a subscription id, also after it was removed. */
  handlerOf(subscriptionId: string): SubscriptionView | undefined {
    return this.subscriptions.get(subscriptionId);
  }

  /**
   * Sets each subscription's counts to what its bridge counted (every delivery since the bridge
   * started, also of the events a batch left out); the records then only fill the event list.
   */
  applyTotals(totals: Readonly<Record<string, SubscriptionTotals>>): void {
    for (const [subscriptionId, [delivered, failed, timed, totalMicros, maxMicros]] of Object.entries(totals)) {
      const view = this.subscriptions.get(subscriptionId);
      if (view === undefined) continue;
      view.delivered = delivered;
      view.failed = failed;
      view.timed = timed;
      view.totalMs = totalMicros / 1000;
      view.maxMs = maxMicros / 1000;
    }
  }

  /** Adds what the bus's counters grew by to the rate charts (a batch may leave events out: its counters do not). */
  addRates(time: number, stats: EventBusStats): void {
    const before = this.stats;
    this.series.add(time, 'published', Math.max(0, stats.eventsPublished - before.eventsPublished));
    this.series.add(time, 'invoked', Math.max(0, stats.handlersInvoked - before.handlersInvoked));
    this.series.add(time, 'errors', Math.max(0, stats.handlerErrors - before.handlerErrors));
    this.series.add(time, 'background', Math.max(0, stats.backgroundTasksCreated - before.backgroundTasksCreated));
  }

  /**
   * Applies one record; returns the new event entry for `published` records. With `counting`
   * false (live batches, whose bridge sends totals and counters), deliveries go to their events
   * only: not to the subscriptions' counts nor to the rate charts.
   */
  apply(record: DevtoolsRecord, entries: Map<string, EventEntry>, nextSeq: () => number, counting = true): EventEntry | undefined {
    this.log.push(record);
    switch (record.type) {
      case 'init':
        this.stats = record.stats;
        for (const info of record.subscriptions) this.#subscribe(info, record.time);
        return undefined;
      case 'subscribed':
        this.#subscribe(record.subscription, record.time);
        return undefined;
      case 'unsubscribed': {
        const view = this.subscriptions.get(record.subscriptionId);
        if (view !== undefined) {
          view.active = false;
          view.until = record.time;
        }
        return undefined;
      }
      case 'published': {
        const payload = 'summary' in record ? 'remote' : 'whole';
        const entry: EventEntry = { seq: nextSeq(), sourceId: record.busId, event: record.event, payload, time: record.time, origin: record.source, background: record.background, deliveries: [], failures: 0, totalMs: undefined };
        this.events.push(entry);
        entries.set(`${record.busId}:${record.event.id}`, entry);
        this.#latest = entry;
        if (counting) this.series.add(record.time, 'published');
        return entry;
      }
      case 'delivered':
      case 'failed':
        this.#delivery(record, this.#entryOf(record.busId, record.eventId, entries), counting);
        return undefined;
      case 'unrecorded':
        if (counting) this.#countUnrecorded(record);
        return undefined;
      case 'background':
        this.backgroundPending = record.pending;
        if (counting && record.phase === 'started') this.series.add(record.time, 'background');
        return undefined;
      default:
        this.#topology(record as InspectionRecord, entries);
        return undefined;
    }
  }

  /**
   * The entry of an event: the latest one when it is (a dispatch's deliveries come right after
   * its event) and is still kept, looked up otherwise. Spares a key string and a lookup per
   * delivery.
   */
  #entryOf(busId: string, eventId: string, entries: Map<string, EventEntry>): EventEntry | undefined {
    const latest = this.#latest;
    const kept = latest !== undefined && latest === this.events[this.events.length - 1];
    return kept && latest.event.id === eventId && latest.sourceId === busId ? latest : entries.get(`${busId}:${eventId}`);
  }

  #subscribe(info: SubscriptionInfo, time: number): void {
    const existing = this.subscriptions.get(info.id);
    if (existing !== undefined) existing.active = true;
    else this.subscriptions.set(info.id, { info, active: true, since: time, delivered: 0, failed: 0, timed: 0, totalMs: 0, maxMs: 0 });
  }

  #delivery(record: Extract<InspectionRecord, { type: 'delivered' | 'failed' }>, entry: EventEntry | undefined, counting: boolean): void {
    const view = this.subscriptions.get(record.subscriptionId);
    const failed = record.type === 'failed';
    if (failed && view !== undefined) view.lastError = record.error;
    if (counting) {
      this.series.add(record.time, 'invoked');
      if (failed) this.series.add(record.time, 'errors');
    }
    if (view !== undefined && counting) {
      if (failed) view.failed++;
      else view.delivered++;
      if (record.durationMs !== undefined) {
        view.timed++;
        view.totalMs += record.durationMs;
        view.maxMs = Math.max(view.maxMs, record.durationMs);
      }
    }
    if (entry === undefined) return;
    const delivery: { -readonly [K in keyof DeliveryView]: DeliveryView[K] } = {
      subscriptionId: record.subscriptionId,
      handlerName: view?.info.handlerName ?? record.subscriptionId,
      kind: view?.info.kind ?? 'type',
      outcome: failed ? 'failed' : 'ok',
    };
    if (record.durationMs !== undefined) delivery.durationMs = record.durationMs;
    if (failed) delivery.error = record.error;
    entry.deliveries.push(delivery);
    if (failed) entry.failures++;
    if (record.durationMs !== undefined) entry.totalMs = Math.max(entry.totalMs ?? 0, record.durationMs);
  }

  /** Dispatches a bridge counted without recording them (past its burst limit): in the counts and the charts. */
  #countUnrecorded(record: UnrecordedRecord): void {
    this.series.add(record.time, 'published', record.events);
    for (const [subscriptionId, [calls, failed]] of Object.entries(record.deliveries)) {
      this.series.add(record.time, 'invoked', calls);
      if (failed > 0) this.series.add(record.time, 'errors', failed);
      const view = this.subscriptions.get(subscriptionId);
      if (view === undefined) continue;
      view.delivered += calls - failed;
      view.failed += failed;
    }
  }

  #topology(record: InspectionRecord, entries: Map<string, EventEntry>): void {
    switch (record.type) {
      case 'transport': {
        const transport = this.transports.get(record.transport) ?? { in: 0, out: 0, peers: new Set<string>(), time: record.time };
        transport[record.direction] += record.eventIds.length;
        transport.time = record.time;
        if (record.peer !== undefined) {
          transport.peers.add(record.peer.id);
          if (!this.peers.has(record.peer.id)) this.peers.set(record.peer.id, { peer: record.peer, status: 'joined', time: record.time });
        }
        this.transports.set(record.transport, transport);
        return;
      }
      case 'peer':
        this.peers.set(record.peer.id, { peer: record.peer, status: record.status, time: record.time });
        return;
      case 'leader':
        this.leaders.set(record.election, record);
        return;
      case 'stored': {
        const store = this.stores.get(record.store) ?? { position: 0, appended: 0, lastStream: '', time: record.time };
        store.position = Math.max(store.position, record.position);
        store.appended++;
        store.lastStream = record.streamId;
        store.time = record.time;
        this.stores.set(record.store, store);
        const entry = entries.get(`${record.busId}:${record.eventId}`);
        if (entry !== undefined) entry.stored = { store: record.store, streamId: record.streamId, position: record.position };
        return;
      }
      case 'checkpoint':
        this.projections.set(record.projection, { position: record.position, lag: record.lag, time: record.time });
        return;
      case 'dead-lettered': {
        // The same letter failing again (a failed replay) replaces the old row.
        const at = this.deadLetters.findIndex((letter) => letter.eventId === record.eventId && letter.consumer === record.consumer);
        if (at === -1) this.deadLetters.push(record);
        else this.deadLetters[at] = record;
        return;
      }
      case 'rejected':
        this.rejected.push(record);
        return;
    }
  }
}

/** Records that describe the bus rather than one occurrence: kept whatever their age. */
const describesTheBus: ReadonlySet<DevtoolsRecord['type']> = new Set(['init', 'subscribed', 'unsubscribed', 'peer', 'leader', 'dead-lettered']);

function keepsRecord(record: DevtoolsRecord, keptEventIds: ReadonlySet<string>, oldestTime: number): boolean {
  if (describesTheBus.has(record.type)) return true;
  if (record.type === 'published') return keptEventIds.has(record.event.id);
  if (record.type === 'delivered' || record.type === 'failed') return keptEventIds.has(record.eventId);
  return record.time >= oldestTime;
}
