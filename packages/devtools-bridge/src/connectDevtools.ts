import { EventwireError, serializeError, type AnyEvent, type EventBus, type EventStore, type InitRecord, type InspectionRecord, type Unsubscribe } from '@eventwire/core';
import { broadcastDevtoolsChannel, type DevtoolsChannel } from './channel.js';
import { DeliveryTotals } from './deliveryTotals.js';
import { RecordPacker } from './packing.js';
import { PROTOCOL_VERSION, decodeDevtoolsCommand, type DevtoolsCommand, type EventDetail, type SourceInfo, type SourceKind, type WireBridgeMessage } from './protocol.js';
import { findKeptEvent, keptEvents, keptFailures } from './keptEvents.js';
import { RecordHistory } from './recordHistory.js';
import { RecordRing } from './recordRing.js';
import { createRedactor, type Redactor } from './redaction.js';

/** The period of the bridge's `burstLimit`. */
const BURST_PERIOD_MS = 20;

/** Options of {@link connectDevtools}. */
export interface ConnectDevtoolsOptions {
  /**
   * Where the protocol goes.
   * @default a BroadcastChannel named `eventwire-devtools` (the standalone devtools tab)
   */
  channel?: DevtoolsChannel;
  /** What the devtools list. @default the page title, or the bus name */
  label?: string;
  /** @default `tab` where there is a document, `process` otherwise */
  kind?: SourceKind;
  /**
   * Records are sent in batches, at most this long after they happened (Redux DevTools' `latency`).
   * @default 100
   */
  latency?: number;
  /**
   * A batch (and a snapshot) carries at most this many of the newest records of its period.
   * Under a burst, the older records about single events are left out of the stream: the
   * devtools show them as a gap, with exact counts, and fetch them from the bridge when the gap
   * comes into view. Records of subscriptions and topology are always sent.
   * @default 1000
   */
  maxBatch?: number;
  /**
   * Dispatches the bridge records per 20 ms, at most (`bus.inspect`'s budget). Past it, the
   * rest of those 20 ms runs as fast as with no devtools attached: the bus counts the
   * dispatches (per handler: calls and failures; and the dead letters) instead of recording
   * them, and the devtools show them as a gap of counted events with nothing to fetch. The
   * subscriptions' counts and the stats stay exact. A burst in one task of the event loop (a
   * loop of publishes, one `publish` of a list) is recorded up to its first `burstLimit`
   * events; a steady stream, up to 50 times `burstLimit` events a second. `Infinity` records
   * every dispatch.
   * @default 200 (10,000 events a second)
   */
  burstLimit?: number;
  /**
   * How many records the bridge keeps (Redux DevTools' `maxAge`): what a devtools that connects
   * later is sent, how far back a gap can be fetched, and the events whose payloads the devtools
   * can fetch (the detail view, export), search and replay (the live stream carries none).
   * Adding a record is storing a reference. A summarized dispatch is one record; each async
   * handler adds one when it settles, each dead letter one.
   * @default 40000
   */
  maxAge?: number;
  /**
   * Fields that never leave the page: key names (`password`), paths (`data.card.number`) or
   * paths for one type (`OrderPlaced:data.customerEmail`). See {@link createRedactor}.
   */
  redact?: readonly string[];
  /**
   * Handler durations are measured on one dispatch in this many (`bus.inspect`'s `timeOneIn`),
   * and on the first dispatch of each task of the event loop (a click's events): a precise clock
   * read costs 0.3-1 µs in a browser page, once per handler, which in a burst would cost more than
   * the handlers. The devtools average over the timed deliveries.
   * @default 64
   */
  timeOneIn?: number;
  /** Lets the devtools page through the store's history (`readAll`). */
  store?: Pick<EventStore, 'readAll' | 'getLastPosition'>;
  /** Lets the devtools replay a dead letter. */
  replayDeadLetter?: (eventId: string, consumer: string) => Promise<unknown>;
}

/** A running bridge. */
export interface DevtoolsConnection {
  readonly source: SourceInfo;
  readonly paused: boolean;
  /** Sends what is batched now. */
  flush(): void;
  /** Says bye, stops inspecting; closes the channel if the bridge opened it. */
  close(): void;
}

/**
 * Streams a bus's inspection records to the devtools, over any {@link DevtoolsChannel}.
 * Built only on `bus.inspect`: stores, transports and runners that `bus.report` are seen too.
 * Nothing is sent until a devtools connects; sensitive fields are redacted before anything is sent.
 *
 * @example
 * ```ts
 * const bus = new InMemoryEventBus({ name: 'orders' });
 * const devtools = connectDevtools(bus, { redact: ['cardNumber'], latency: 100, maxAge: 5000 });
 * // open the devtools app: it lists this page and streams its events
 * devtools.close();
 * ```
 */
export function connectDevtools(bus: EventBus, options: ConnectDevtoolsOptions = {}): DevtoolsConnection {
  return new Bridge(bus, options);
}

class Bridge implements DevtoolsConnection {
  readonly source: SourceInfo;
  readonly #bus: EventBus;
  readonly #options: ConnectDevtoolsOptions;
  readonly #channel: DevtoolsChannel;
  readonly #ownsChannel: boolean;
  readonly #history: RecordHistory;
  readonly #totals = new DeliveryTotals();
  readonly #ring: RecordRing;
  readonly #redactor: Redactor;
  readonly #latency: number;
  readonly #maxBatch: number;
  readonly #packer: RecordPacker;
  readonly #stopInspecting: Unsubscribe;
  readonly #stopListening: Unsubscribe;
  readonly #flushLater = (): void => this.flush();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #seq = 0;
  #streaming = false;
  #paused = false;
  #closed = false;

  constructor(bus: EventBus, options: ConnectDevtoolsOptions) {
    this.#bus = bus;
    this.#options = options;
    this.#history = new RecordHistory();
    this.#ring = new RecordRing(options.maxAge ?? 40_000, (record) => this.#totals.count(record));
    this.#redactor = createRedactor(options.redact);
    this.#latency = options.latency ?? 100;
    this.#maxBatch = Math.max(1, options.maxBatch ?? 1000);
    let init: InspectionRecord | undefined;
    const listener = (record: InspectionRecord): void => (init === undefined ? void (init = record) : this.#record(record));
    // One `dispatched` record per event: the bridge's cost is mostly per record.
    // At most `burstLimit` dispatches recorded per 20 ms: a burst then costs what it costs with no devtools.
    const budget = { dispatches: options.burstLimit ?? 200, periodMs: BURST_PERIOD_MS };
    this.#stopInspecting = bus.inspect(listener, { timeOneIn: options.timeOneIn ?? 64, summarize: true, budget });
    // Opened once the options passed (a bad burstLimit throws): a refused bridge leaves no channel open.
    this.#ownsChannel = options.channel === undefined;
    this.#channel = options.channel ?? broadcastDevtoolsChannel();
    this.source = sourceOf(init!, options);
    this.#history.init(init as InitRecord);
    this.#packer = new RecordPacker(this.source.id, this.#redactor);
    this.#stopListening = this.#channel.onMessage((raw) => this.#receive(raw));
    this.#hello();
  }

  get paused(): boolean {
    return this.#paused;
  }

  // Records wait in the ring; counting, packing, encoding and posting happen here, once per
  // batch, on the newest `maxBatch` records and the ones about more than one event. No payload
  // is packed: redaction runs only for the payloads a devtools asks for.
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#streaming && !this.#closed && this.#ring.unsent > 0) this.#sendBatch();
  }

  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#send({ kind: 'bye' });
    this.#closed = true;
    this.#stopInspecting();
    this.#stopListening();
    if (this.#ownsChannel) this.#channel.close();
  }

  // The hot path: the record is noted and stored in the ring; a timer per batch while streaming.
  #record(record: InspectionRecord): void {
    if (this.#paused) return this.#history.countDropped();
    this.#history.add(record, this.#ring.head);
    this.#ring.add(record);
    if (this.#streaming) this.#timer ??= setTimeout(this.#flushLater, this.#latency);
  }

  #sendBatch(): void {
    const { records, skipped } = this.#ring.take(this.#maxBatch);
    const packed = this.#packer.pack(records, 0, records.length);
    this.#send({ kind: 'batch', seq: ++this.#seq, packed, stats: this.#bus.getStats(), totals: this.#totals.toJSON(), ...(skipped === undefined ? {} : { skipped }) });
  }

  /** The event records a batch or snapshot left out, as far as the ring still keeps them. */
  #sendRange(commandId: string, from: number, to: number): void {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < from) {
      this.#send({ kind: 'result', commandId, ok: false, error: serializeError(new EventwireError('INVALID_ARGUMENT', `get-range: from and to must be record numbers, from <= to (got ${String(from)}, ${String(to)})`)) });
      return;
    }
    const { records, missing } = this.#ring.range(from, to);
    this.#send({ kind: 'range', commandId, from, to, packed: this.#packer.pack(records, 0, records.length), missing });
  }

  #receive(raw: unknown): void {
    let command: DevtoolsCommand | undefined;
    try {
      command = decodeDevtoolsCommand(raw);
    } catch (error) {
      // A devtools of another version: tell it through a failed result it can show.
      this.#send({ kind: 'result', commandId: 'protocol', ok: false, error: serializeError(error) });
      return;
    }
    if (command === undefined || this.#closed) return;
    if (command.target !== '*' && command.target !== this.source.id) return;
    this.#execute(command);
  }

  #execute(command: DevtoolsCommand): void {
    switch (command.kind) {
      case 'discover':
        return this.#hello();
      case 'connect':
        // The devtools already listening get what they have not seen; the snapshot has it all.
        if (this.#streaming) this.flush();
        else this.#ring.markSent();
        this.#sendSnapshot();
        this.#streaming = true;
        return;
      case 'pause':
        this.flush();
        this.#paused = command.paused;
        this.#send({ kind: 'status', paused: this.#paused, dropped: this.#history.dropped + this.#ring.droppedAside });
        return;
      case 'replay-event':
        return this.#answer(command.commandId, () => this.#replayEvent(command.eventId));
      case 'replay-dead-letter':
        return this.#answer(command.commandId, () => this.#replayDeadLetter(command.eventId, command.consumer));
      case 'read-history':
        return void this.#readHistory(command.commandId, command.fromPosition, command.limit);
      case 'get-events':
        return this.#sendEvents(command.commandId, command.eventIds);
      case 'search':
        return this.#search(command.commandId, command.text);
      case 'get-range':
        return this.#sendRange(command.commandId, command.from, command.to);
    }
  }

  /** Payloads and whole errors on demand, redacted here: only what is asked for leaves the page. */
  #sendEvents(commandId: string, eventIds: readonly string[]): void {
    const records = this.#ring.kept();
    const wanted = new Set(Array.isArray(eventIds) ? eventIds.map(String) : []);
    const failures = keptFailures(records, wanted);
    const events: EventDetail[] = [];
    const redactor = this.#redactor;
    const found = new Set<string>();
    const kept = wanted.size > 8 ? keptEvents(records) : [...wanted].map((id) => findKeptEvent(records, id)).filter((event) => event !== undefined);
    for (const event of kept) {
      const id = event.id;
      if (!wanted.has(id) || found.has(id)) continue;
      found.add(id);
      const errors = (failures.get(id) ?? []).map((failed) => ({ subscriptionId: failed.subscriptionId, error: redactor.error(failed.error) }));
      events.push({ event: redactor.event(event), errors });
    }
    this.#send({ kind: 'events', commandId, events, missing: [...wanted].filter((id) => !found.has(id)) });
  }

  /** Searches the redacted payloads (never the raw ones: a match would tell a redacted value). */
  #search(commandId: string, text: string): void {
    const needle = String(text).trim().toLowerCase();
    const kept = keptEvents(this.#ring.kept());
    const eventIds: string[] = [];
    if (needle !== '') for (const event of kept) if (this.#searchText(event).includes(needle)) eventIds.push(event.id);
    this.#send({ kind: 'found', commandId, eventIds, searched: kept.length });
  }

  readonly #searchTexts = new WeakMap<AnyEvent, string>();

  #searchText(event: AnyEvent): string {
    let text = this.#searchTexts.get(event);
    if (text === undefined) {
      const redacted = this.#redactor.event(event);
      text = `${JSON.stringify(redacted.data) ?? ''} ${JSON.stringify(redacted.metadata) ?? ''}`.toLowerCase();
      this.#searchTexts.set(event, text);
    }
    return text;
  }

  async #replayEvent(eventId: string): Promise<unknown> {
    const event = findKeptEvent(this.#ring.kept(), eventId);
    if (event === undefined) throw new EventwireError('INVALID_ARGUMENT', `Event ${eventId} is no longer in the devtools history`);
    return this.#bus.publish(event);
  }

  async #replayDeadLetter(eventId: string, consumer: string): Promise<unknown> {
    const replay = this.#options.replayDeadLetter;
    if (replay === undefined) throw new EventwireError('DEAD_LETTER_NOT_FOUND', 'This page gave the devtools no dead-letter store (connectDevtools option replayDeadLetter)');
    return replay(eventId, consumer);
  }

  async #readHistory(commandId: string, fromPosition: number, limit: number): Promise<void> {
    const store = this.#options.store;
    try {
      if (store === undefined) throw new EventwireError('STORE_FAILED', 'This page gave the devtools no event store (connectDevtools option store)');
      const [stored, lastPosition] = await Promise.all([store.readAll({ fromPosition, limit: Math.min(limit, 1000) }), store.getLastPosition()]);
      this.#send({ kind: 'history', commandId, events: stored.map(this.#redactor.storedEvent), lastPosition });
    } catch (error) {
      this.#send({ kind: 'result', commandId, ok: false, error: serializeError(error) });
    }
  }

  #answer(commandId: string, work: () => Promise<unknown>): void {
    work().then(
      () => this.#send({ kind: 'result', commandId, ok: true }),
      (error: unknown) => this.#send({ kind: 'result', commandId, ok: false, error: serializeError(error) }),
    );
  }

  #sendSnapshot(): void {
    const ring = this.#ring;
    const head = this.#history.head(undefined, ring.oldest);
    const { records, skipped } = ring.snapshot(this.#maxBatch);
    const packed = [this.#packer.pack(head, 0, head.length), this.#packer.pack(records, 0, records.length)];
    const dropped = this.#history.dropped + ring.droppedAside;
    this.#send({ kind: 'snapshot', packed, dropped, stats: this.#bus.getStats(), totals: this.#totals.toJSON(), ...(skipped === undefined ? {} : { skipped }) });
  }

  #hello(): void {
    this.#send({ kind: 'hello', source: this.source, paused: this.#paused });
  }

  #send(message: DistributiveOmitProtocol<WireBridgeMessage>): void {
    if (this.#closed) return;
    this.#channel.send({ ...message, protocol: PROTOCOL_VERSION, sourceId: this.source.id } as WireBridgeMessage);
  }
}

type DistributiveOmitProtocol<T> = T extends unknown ? Omit<T, 'protocol' | 'sourceId'> : never;

function sourceOf(init: InspectionRecord, options: ConnectDevtoolsOptions): SourceInfo {
  if (init.type !== 'init') throw new EventwireError('INVALID_ARGUMENT', 'connectDevtools: bus.inspect did not start with an init record');
  const page = (globalThis as { document?: { title?: string }; location?: { href?: string } }).document;
  const href = (globalThis as { location?: { href?: string } }).location?.href;
  return {
    id: init.busId,
    busName: init.busName,
    label: options.label ?? (page?.title || init.busName),
    kind: options.kind ?? (page !== undefined ? 'tab' : 'process'),
    ...(href !== undefined ? { url: href } : {}),
    startedAt: init.time,
  };
}
