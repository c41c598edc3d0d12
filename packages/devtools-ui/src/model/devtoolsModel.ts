import type { EventBusStats, Unsubscribe } from '@eventwire/core';
import { createSession, type BridgeMessage, type DevtoolsClient, type DevtoolsRecord, type DevtoolsSession, type EventDetail, type RangeMessage, type SkippedRecords } from '@eventwire/devtools-bridge';
import { indexAfter, type EventGap } from './eventGaps.js';
import { SourceState, emptyStats, type EventEntry } from './sourceState.js';

/** A notice the UI shows for a moment: a command's outcome. */
export interface Notice {
  readonly id: number;
  readonly ok: boolean;
  readonly text: string;
}

/** Options of {@link DevtoolsModel}. */
export interface DevtoolsModelOptions {
  /**
   * Events kept in memory across all sources; older ones are dropped (the store's history can
   * still be paged).
   * @default 50000
   */
  maxEvents?: number;
  /** How often listeners are told about changes, at most. @default 100 */
  notifyEveryMs?: number;
}

/**
 * What the devtools UI renders: every source's state rebuilt from bridge messages. Framework
 * free; React reads it through `useDevtoolsModel`.
 *
 * @example
 * ```ts
 * const model = new DevtoolsModel(createLiveClient(broadcastDevtoolsChannel()));
 * model.subscribe(() => render(model));
 * ```
 */
export class DevtoolsModel {
  readonly client: DevtoolsClient;
  readonly sources = new Map<string, SourceState>();
  /** Every event of every source in arrival order (`seq`); a gap's events, once fetched, in its place. */
  readonly events: EventEntry[] = [];
  /** Events the bridges left out of their live streams (bursts), to fetch when shown. */
  readonly gaps: EventGap[] = [];
  readonly #gapLoads = new Map<string, EventGap>();
  readonly #entries = new Map<string, EventEntry>();
  readonly #children = new Map<string, EventEntry[]>();
  readonly #listeners = new Set<() => void>();
  readonly #pendingCommands = new Map<string, string>();
  readonly #pendingReplays = new Map<string, { sourceId: string; eventId: string; consumer: string }>();
  readonly #maxEvents: number;
  readonly #notifyEveryMs: number;
  readonly #stop: Unsubscribe;
  #seq = 0;
  #version = 0;
  #notifiedVersion = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #noticeSeq = 0;
  notices: Notice[] = [];
  /** Payload searches asked of the bridges: their text, and the answers still expected. */
  readonly #searches = new Map<string, { text: string; sourceId: string }>();
  #searchText = '';
  #searchMatches = new Set<string>();
  /** `get-events` answers awaited by an export. */
  readonly #waiting = new Map<string, () => void>();

  constructor(client: DevtoolsClient, options: DevtoolsModelOptions = {}) {
    this.client = client;
    this.#maxEvents = options.maxEvents ?? 50_000;
    this.#notifyEveryMs = options.notifyEveryMs ?? 100;
    this.#stop = client.subscribe((message) => this.apply(message));
  }

  /** Changes each time listeners are told about changes: for `useSyncExternalStore`. */
  get version(): number {
    return this.#notifiedVersion;
  }

  subscribe(listener: () => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  close(): void {
    this.#stop();
    this.client.close();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }

  /** Applies one bridge message. */
  apply(message: BridgeMessage): void {
    const source = this.#sourceFor(message);
    switch (message.kind) {
      case 'hello':
        source.info = message.source;
        source.paused = message.paused;
        source.connected = true;
        break;
      case 'snapshot':
        this.#forget(source);
        source.reset();
        source.dropped = message.dropped;
        source.stats = message.stats;
        if (message.skipped !== undefined) this.#addGap(source, message.skipped);
        this.#applyRecords(source, message.records, true);
        if (message.totals !== undefined) source.applyTotals(message.totals);
        source.stats = message.stats;
        break;
      case 'batch':
        if (message.skipped !== undefined) this.#addGap(source, message.skipped);
        // The bridge counts every delivery (also of the events it left out): its totals and counters are the counts.
        this.#applyRecords(source, message.records, false);
        source.applyTotals(message.totals);
        source.addRates(Date.now(), message.stats);
        source.stats = message.stats;
        break;
      case 'range':
        this.#fillGap(source, message);
        this.#waiting.get(message.commandId)?.();
        break;
      case 'status':
        source.paused = message.paused;
        source.dropped = message.dropped;
        break;
      case 'result':
        if (this.#gapLoads.has(message.commandId)) {
          this.#gapLoads.get(message.commandId)!.state = 'gone';
          this.#gapLoads.delete(message.commandId);
          this.#waiting.get(message.commandId)?.();
          break;
        }
        if (message.ok) this.#replayed(message.commandId);
        this.#pendingReplays.delete(message.commandId);
        this.#notice(message.ok, message.ok ? `${this.#pendingCommands.get(message.commandId) ?? 'Command'} done` : (message.error?.message ?? 'Command failed'));
        this.#pendingCommands.delete(message.commandId);
        break;
      case 'history':
        source.storeHistory = message.events as SourceState['storeHistory'];
        source.storeLastPosition = message.lastPosition;
        break;
      case 'events':
        this.#details(source.info.id, message.events, message.missing);
        this.#waiting.get(message.commandId)?.();
        break;
      case 'found': {
        const search = this.#searches.get(message.commandId);
        this.#searches.delete(message.commandId);
        if (search === undefined || search.text !== this.#searchText) break;
        for (const eventId of message.eventIds) this.#searchMatches.add(`${search.sourceId}:${eventId}`);
        break;
      }
      case 'bye':
        source.connected = false;
        for (const gap of this.gaps) if (gap.sourceId === message.sourceId && gap.state !== 'unrecorded') gap.state = 'gone';
        break;
    }
    this.#changed();
  }

  /** An event by id, in one source. */
  entry(sourceId: string, eventId: string): EventEntry | undefined {
    return this.#entries.get(`${sourceId}:${eventId}`);
  }

  /** Events whose `causationId` is this event's id. */
  childrenOf(entry: EventEntry): readonly EventEntry[] {
    return this.#children.get(`${entry.sourceId}:${entry.event.id}`) ?? [];
  }

  /** The chain of causes, the root first. */
  causesOf(entry: EventEntry): EventEntry[] {
    const chain: EventEntry[] = [];
    let cause = entry.event.causationId;
    while (cause !== undefined && chain.length < 50) {
      const parent = this.entry(entry.sourceId, cause);
      if (parent === undefined) break;
      chain.unshift(parent);
      cause = parent.event.causationId;
    }
    return chain;
  }

  /** Stats of one source, or summed over all. */
  statsOf(sourceId: string | undefined): EventBusStats {
    const sources = sourceId === undefined ? [...this.sources.values()] : [this.sources.get(sourceId)].filter((s) => s !== undefined);
    return sources.reduce(
      (sum, s) => ({
        eventsPublished: sum.eventsPublished + s.stats.eventsPublished,
        handlersInvoked: sum.handlersInvoked + s.stats.handlersInvoked,
        handlerErrors: sum.handlerErrors + s.stats.handlerErrors,
        backgroundTasksCreated: sum.backgroundTasksCreated + s.stats.backgroundTasksCreated,
        backgroundTasksCompleted: sum.backgroundTasksCompleted + s.stats.backgroundTasksCompleted,
      }),
      emptyStats,
    );
  }

  // PAYLOADS ON DEMAND

  /** Fetches an event's payload and whole errors from its bridge (the live stream has neither). */
  loadDetail(entry: EventEntry): void {
    if (entry.payload !== 'remote' || this.client.mode !== 'live' || this.sources.get(entry.sourceId)?.connected !== true) return;
    entry.payload = 'loading';
    this.client.send({ kind: 'get-events', target: entry.sourceId, eventIds: [entry.event.id] });
  }

  /**
   * Asks the live bridges which of their events' (redacted) payloads hold `text`; {@link payloadMatches}
   * collects the answers. Types, ids and aggregates are searched locally by the filter.
   */
  searchPayloads(text: string): void {
    const needle = text.trim();
    if (needle === this.#searchText) return;
    this.#searchText = needle;
    this.#searchMatches = new Set();
    this.#searches.clear();
    if (needle === '' || this.client.mode !== 'live') return this.#changed();
    for (const source of this.sources.values()) {
      if (!source.connected) continue;
      const commandId = this.client.send({ kind: 'search', target: source.info.id, text: needle });
      this.#searches.set(commandId, { text: needle, sourceId: source.info.id });
    }
    // A bridge that went away without a bye (a crashed tab) never answers: stop waiting for it.
    setTimeout(() => {
      if (this.#searchText !== needle || this.#searches.size === 0) return;
      this.#searches.clear();
      this.#changed();
    }, 3000);
    this.#changed();
  }

  /** Events (`sourceId:eventId`) whose payload holds the text of the last {@link searchPayloads}. */
  get payloadMatches(): ReadonlySet<string> {
    return this.#searchMatches;
  }

  /** The text of the last {@link searchPayloads}. */
  get payloadQuery(): string {
    return this.#searchText;
  }

  /** Whether bridges have not answered the last payload search yet. */
  get searching(): boolean {
    return this.#searches.size > 0;
  }

  #details(sourceId: string, details: readonly EventDetail[], missing: readonly string[]): void {
    for (const detail of details) {
      const entry = this.entry(sourceId, detail.event.id);
      if (entry === undefined) continue;
      entry.event = detail.event;
      entry.payload = 'whole';
      for (const { subscriptionId, error } of detail.errors) {
        const delivery = entry.deliveries.find((d) => d.subscriptionId === subscriptionId && d.outcome === 'failed');
        if (delivery !== undefined) delivery.error = error;
      }
    }
    for (const eventId of missing) {
      const entry = this.entry(sourceId, eventId);
      if (entry !== undefined && entry.payload !== 'whole') entry.payload = 'gone';
    }
  }

  // GAPS

  /**
   * Fetches the events of a gap from its bridge (the list does when the gap's row comes into
   * view); they take the gap's place. Nothing happens for a gap already asked for or gone.
   * @returns the command id, or `undefined` when nothing was asked
   */
  loadGap(gap: EventGap): string | undefined {
    if (gap.state !== 'remote' || this.client.mode !== 'live' || this.sources.get(gap.sourceId)?.connected !== true) return undefined;
    gap.state = 'loading';
    const commandId = this.client.send({ kind: 'get-range', target: gap.sourceId, from: gap.from, to: gap.to });
    this.#gapLoads.set(commandId, gap);
    this.#changed();
    return commandId;
  }

  #addGap(source: SourceState, skipped: SkippedRecords): void {
    if (skipped.events === 0 && skipped.deadLetters === 0) return;
    this.#pushGap(source, skipped.from, skipped.to, skipped.events, 'remote');
  }

  /** Events of a burst that the bridge counted without recording them (its `burstLimit`): a row with nothing to fetch. */
  #addUnrecordedGap(source: SourceState, events: number): void {
    this.#pushGap(source, 0, 0, events, 'unrecorded');
  }

  #pushGap(source: SourceState, from: number, to: number, events: number, state: EventGap['state']): void {
    // The gap takes a seq of its own: its events, once fetched, get the ones between it and the entry before.
    const seq = ++this.#seq;
    this.gaps.push({ sourceId: source.info.id, from, to, events, afterSeq: seq - 1, state });
  }

  #fillGap(source: SourceState, message: RangeMessage): void {
    const gap = this.#gapLoads.get(message.commandId);
    this.#gapLoads.delete(message.commandId);
    const at = gap === undefined ? -1 : this.gaps.indexOf(gap);
    if (gap === undefined || at === -1) return; // cleared meanwhile
    const events = message.records.filter((record) => record.type === 'published').length;
    let k = 0;
    const nextSeq = (): number => gap.afterSeq + ++k / (events + 1);
    const before = source.events.length;
    for (const record of message.records) {
      const entry = source.apply(record, this.#entries, nextSeq, false);
      if (entry !== undefined) this.#linkCause(entry);
    }
    const filled = source.events.splice(before);
    source.events.splice(indexAfter(source.events, gap.afterSeq), 0, ...filled);
    this.events.splice(indexAfter(this.events, gap.afterSeq), 0, ...filled);
    if (message.missing > 0 && gap.events > events) this.gaps[at] = { ...gap, events: gap.events - events, state: 'gone' };
    else this.gaps.splice(at, 1);
  }

  // COMMANDS

  setPaused(sourceId: string | undefined, paused: boolean): void {
    const targets = sourceId === undefined ? [...this.sources.keys()] : [sourceId];
    for (const target of targets) this.client.send({ kind: 'pause', target, paused });
  }

  replayEvent(entry: EventEntry): void {
    this.#track(this.client.send({ kind: 'replay-event', target: entry.sourceId, eventId: entry.event.id }), `Replay of ${entry.event.type}`);
  }

  replayDeadLetter(sourceId: string, eventId: string, consumer: string): void {
    const commandId = this.client.send({ kind: 'replay-dead-letter', target: sourceId, eventId, consumer });
    this.#track(commandId, `Replay of ${consumer}`);
    this.#pendingReplays.set(commandId, { sourceId, eventId, consumer });
  }

  readHistory(sourceId: string, fromPosition: number, limit = 100): void {
    this.client.send({ kind: 'read-history', target: sourceId, fromPosition, limit });
  }

  /** Forgets every event (the bridges keep running). */
  clear(): void {
    this.gaps.length = 0;
    this.#gapLoads.clear();
    for (const source of this.sources.values()) {
      source.events.length = 0;
      source.log.length = 0;
      source.series.clear();
    }
    this.events.length = 0;
    this.#entries.clear();
    this.#children.clear();
    this.#changed();
  }

  /**
   * The session as a file: only what bridges sent, so already redacted. The payloads the live
   * stream did not carry are fetched from the bridges first (those they still keep; the others
   * stay summaries), waiting at most `timeoutMs`.
   */
  async exportSession(timeoutMs = 3000): Promise<DevtoolsSession> {
    if (this.client.mode === 'live') {
      // The events of gaps first: then their payloads, with the others'.
      await Promise.all(this.gaps.map((gap) => this.#answer(this.loadGap(gap), timeoutMs)));
      const answers: Promise<void>[] = [];
      for (const source of this.sources.values()) {
        const eventIds = source.events.filter((entry) => entry.payload === 'remote' || entry.payload === 'loading').map((entry) => entry.event.id);
        if (eventIds.length === 0 || !source.connected) continue;
        answers.push(this.#answer(this.client.send({ kind: 'get-events', target: source.info.id, eventIds }), timeoutMs));
      }
      await Promise.all(answers);
    }
    return createSession(
      [...this.sources.values()].map((s) => ({ source: s.info, paused: s.paused, dropped: s.dropped, stats: s.stats, records: this.#inOrder(s).map((record) => this.#whole(s.info.id, record)) })),
    );
  }

  /**
   * A source's log in the order of its events: the records of a gap, fetched after later ones,
   * go where the gap was. A record of an event sorts by its entry's `seq`, any other by the
   * highest `seq` before it (the sort is stable).
   */
  #inOrder(source: SourceState): DevtoolsRecord[] {
    let latest = 0;
    const keyed = source.log.map((record) => {
      const eventId = record.type === 'published' ? record.event.id : 'eventId' in record ? record.eventId : undefined;
      const seq = eventId === undefined ? undefined : this.entry(source.info.id, eventId)?.seq;
      if (seq !== undefined) latest = Math.max(latest, seq);
      return { record, key: seq ?? latest };
    });
    return keyed.sort((a, b) => a.key - b.key).map(({ record }) => record);
  }

  /** Resolves when the answer to a command comes, or after `timeoutMs`. */
  #answer(commandId: string | undefined, timeoutMs: number): Promise<void> {
    if (commandId === undefined) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#waiting.set(commandId, () => (clearTimeout(timer), resolve()));
    }).finally(() => this.#waiting.delete(commandId));
  }

  /** A record with the payload and whole errors fetched since it arrived. */
  #whole(sourceId: string, record: DevtoolsRecord): DevtoolsRecord {
    if (record.type === 'published' && 'summary' in record) {
      const entry = this.entry(sourceId, record.event.id);
      if (entry?.payload !== 'whole') return record;
      const { summary: _, ...rest } = record;
      return { ...rest, event: entry.event } as DevtoolsRecord;
    }
    if (record.type === 'failed' && record.error.stack === undefined) {
      const error = this.entry(sourceId, record.eventId)?.deliveries.find((d) => d.subscriptionId === record.subscriptionId && d.outcome === 'failed')?.error;
      return error === undefined ? record : { ...record, error };
    }
    return record;
  }

  // INTERNALS

  #sourceFor(message: BridgeMessage): SourceState {
    let source = this.sources.get(message.sourceId);
    if (source === undefined) {
      const info = message.kind === 'hello' ? message.source : { id: message.sourceId, busName: message.sourceId, label: message.sourceId, kind: 'tab', startedAt: Date.now() };
      source = new SourceState(info);
      this.sources.set(message.sourceId, source);
    }
    return source;
  }

  #applyRecords(source: SourceState, records: readonly DevtoolsRecord[], counting: boolean): void {
    const nextSeq = (): number => ++this.#seq;
    for (const record of records) {
      const entry = source.apply(record, this.#entries, nextSeq, counting);
      if (record.type === 'unrecorded' && record.events > 0) this.#addUnrecordedGap(source, record.events);
      if (entry === undefined) continue;
      this.events.push(entry);
      this.#linkCause(entry);
    }
    if (this.events.length > this.#maxEvents * 1.1) this.#trim();
  }

  /** Keeps the gaps that pass `keep`, in place (the list views hold the array). */
  #keepGaps(keep: (gap: EventGap) => boolean): void {
    const kept = this.gaps.filter(keep);
    this.gaps.splice(0, this.gaps.length, ...kept);
  }

  #linkCause(entry: EventEntry): void {
    const cause = entry.event.causationId;
    if (cause === undefined) return;
    const key = `${entry.sourceId}:${cause}`;
    const siblings = this.#children.get(key);
    if (siblings === undefined) this.#children.set(key, [entry]);
    else siblings.push(entry);
  }

  #trim(): void {
    const removed = this.events.splice(0, this.events.length - this.#maxEvents);
    const lastRemoved = removed[removed.length - 1]?.seq ?? 0;
    this.#keepGaps((gap) => gap.afterSeq >= lastRemoved);
    for (const entry of removed) {
      this.#entries.delete(`${entry.sourceId}:${entry.event.id}`);
      this.#children.delete(`${entry.sourceId}:${entry.event.id}`);
    }
    for (const source of this.sources.values()) {
      const firstKept = source.events.findIndex((entry) => this.#entries.has(`${entry.sourceId}:${entry.event.id}`));
      if (firstKept > 0) source.events.splice(0, firstKept);
      else if (firstKept < 0) source.events.length = 0;
      source.trimLog();
    }
  }

  #forget(source: SourceState): void {
    const id = source.info.id;
    this.#keepGaps((gap) => gap.sourceId !== id);
    for (const entry of source.events) this.#entries.delete(`${id}:${entry.event.id}`);
    if (source.events.length > 0) {
      const kept = this.events.filter((entry) => entry.sourceId !== id);
      this.events.length = 0;
      this.events.push(...kept);
    }
  }

  /** A dead letter replayed successfully is no longer dead. */
  #replayed(commandId: string): void {
    const replay = this.#pendingReplays.get(commandId);
    const letters = replay === undefined ? undefined : this.sources.get(replay.sourceId)?.deadLetters;
    if (replay === undefined || letters === undefined) return;
    const kept = letters.filter((letter) => letter.eventId !== replay.eventId || letter.consumer !== replay.consumer);
    letters.splice(0, letters.length, ...kept);
  }

  #track(commandId: string, label: string): void {
    if (commandId !== '') this.#pendingCommands.set(commandId, label);
  }

  #notice(ok: boolean, text: string): void {
    const notice = { id: ++this.#noticeSeq, ok, text };
    this.notices = [...this.notices.slice(-3), notice];
    setTimeout(() => {
      this.notices = this.notices.filter((n) => n !== notice);
      this.#changed();
    }, 4000);
  }

  #changed(): void {
    this.#version++;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#notifiedVersion = this.#version;
      for (const listener of this.#listeners) listener();
    }, this.#notifyEveryMs);
  }
}
