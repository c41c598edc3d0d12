import { EventwireError, type AnyEvent, type EventBusStats, type SerializedError, type StoredEvent } from '@eventwire/core';
import type { SubscriptionTotals } from './deliveryTotals.js';
import { unpackRecords, type DevtoolsRecord, type PackedRecords } from './packing.js';
import type { SkippedRecords } from './recordRing.js';

/**
 * The version of the devtools protocol. A bridge and a devtools UI talk only when their
 * versions match; a message of another version is refused with `DEVTOOLS_PROTOCOL_MISMATCH`.
 * Protocol 5: batches carry the newest records and leave older event records out under a
 * burst (`skipped`, fetched with `get-range`), with exact per-subscription `totals`.
 * Protocol 6: past its `burstLimit`, a bridge records a burst's dispatches no more and sends
 * their counts as an `unrecorded` record (`bus.inspect`'s budget).
 */
export const PROTOCOL_VERSION = 6;

// TYPES: what a bridge says about itself

/** What kind of context a bridge runs in. */
export type SourceKind = 'tab' | 'worker' | 'shared-worker' | 'process' | (string & {});

/** A page or process that the devtools can connect to: one bus behind one bridge. */
export interface SourceInfo {
  /** The bus id: unique per bus instance. */
  readonly id: string;
  readonly busName: string;
  /** What the devtools list: the page title, the worker name, the process name. */
  readonly label: string;
  readonly kind: SourceKind;
  /** The page URL, when there is one. */
  readonly url?: string;
  /** Milliseconds since the epoch. */
  readonly startedAt: number;
}

// TYPES: bridge -> devtools

interface BridgeBase {
  readonly protocol: typeof PROTOCOL_VERSION;
  readonly sourceId: string;
}

/** A bridge announces itself when it starts and whenever a devtools asks who is there. */
export interface HelloMessage extends BridgeBase {
  readonly kind: 'hello';
  readonly source: SourceInfo;
  readonly paused: boolean;
}
/**
 * The bridge's retained history, sent when a devtools connects: an `init` record first, then
 * the topology and the newest records (the older event records as `skipped`, to fetch when
 * shown). Events come as summaries (no payload), as in batches.
 */
export interface SnapshotMessage extends BridgeBase {
  readonly kind: 'snapshot';
  readonly records: readonly DevtoolsRecord[];
  /** Records the bridge dropped (paused) since it started. */
  readonly dropped: number;
  /** The bus's counters now: exact even when the history has rolled over. */
  readonly stats: EventBusStats;
  /** Event records the bridge still keeps, older than `records`: fetched with `get-range` (a session file has none). */
  readonly skipped?: SkippedRecords;
  /** Each subscription's deliveries since the bridge started (a session file has none: its records are counted). */
  readonly totals?: Readonly<Record<string, SubscriptionTotals>>;
}
/**
 * Live records, batched by latency. `seq` grows by one per batch of a source. Events come as
 * summaries: ids, type, deliveries and error summaries, no payload (see `get-events`). A batch
 * holds at most the bridge's `maxBatch` newest records of its period, plus every record that
 * is not about a single event; the event records it leaves out are `skipped`.
 */
export interface BatchMessage extends BridgeBase {
  readonly kind: 'batch';
  readonly seq: number;
  readonly records: readonly DevtoolsRecord[];
  /** The bus's counters when the batch was sent. */
  readonly stats: EventBusStats;
  /** Event records of the period older than `records`, left out (a burst): fetched with `get-range`. */
  readonly skipped?: SkippedRecords;
  /** Each subscription's deliveries since the bridge started, the skipped records included. */
  readonly totals: Readonly<Record<string, SubscriptionTotals>>;
}
/** The answer to `get-range`: the skipped event records the bridge still keeps. */
export interface RangeMessage extends BridgeBase {
  readonly kind: 'range';
  readonly commandId: string;
  readonly from: number;
  readonly to: number;
  readonly records: readonly DevtoolsRecord[];
  /** How many records of the range the bridge no longer keeps (its ring rolled over them). */
  readonly missing: number;
}
/** Whether the bridge is recording. */
export interface StatusMessage extends BridgeBase {
  readonly kind: 'status';
  readonly paused: boolean;
  readonly dropped: number;
}
/** The outcome of a command that asked for one. */
export interface ResultMessage extends BridgeBase {
  readonly kind: 'result';
  readonly commandId: string;
  readonly ok: boolean;
  readonly error?: SerializedError;
}
/** A page of the event store's history, in global order. */
export interface HistoryMessage extends BridgeBase {
  readonly kind: 'history';
  readonly commandId: string;
  readonly events: readonly StoredEvent[];
  /** The store's last position when the page was read. */
  readonly lastPosition: number;
}
/** One event as the detail view shows it: the whole event and the whole errors of its failed deliveries, redacted. */
export interface EventDetail {
  readonly event: AnyEvent;
  /** Stacks cut to their first lines, `details` redacted. */
  readonly errors: readonly { readonly subscriptionId: string; readonly error: SerializedError }[];
}
/** The answer to `get-events`: what the bridge still holds of the events asked for. */
export interface EventsMessage extends BridgeBase {
  readonly kind: 'events';
  readonly commandId: string;
  readonly events: readonly EventDetail[];
  /** Ids the bridge no longer holds (older than its `maxAge` records) or never saw. */
  readonly missing: readonly string[];
}
/** The answer to `search`: the events whose redacted payload holds the text. */
export interface FoundMessage extends BridgeBase {
  readonly kind: 'found';
  readonly commandId: string;
  readonly eventIds: readonly string[];
  /** How many events the bridge searched (the events of its last `maxAge` records). */
  readonly searched: number;
}
/** The bridge stopped (page closed, `close()` called). */
export interface ByeMessage extends BridgeBase {
  readonly kind: 'bye';
}

/** Everything a bridge sends, as the devtools read it (`decodeBridgeMessage` unpacks the records). */
export type BridgeMessage = HelloMessage | SnapshotMessage | BatchMessage | RangeMessage | StatusMessage | ResultMessage | HistoryMessage | EventsMessage | FoundMessage | ByeMessage;

/** A snapshot, batch or range as it travels: its records packed (see `PackedRecords`); a snapshot's in several lists, one after the other. */
export type Packed<M extends SnapshotMessage | BatchMessage | RangeMessage> = Omit<M, 'records'> & { readonly packed: M extends SnapshotMessage ? readonly PackedRecords[] : PackedRecords };

/** Everything a bridge sends, as it travels. */
export type WireBridgeMessage = Exclude<BridgeMessage, SnapshotMessage | BatchMessage | RangeMessage> | Packed<SnapshotMessage> | Packed<BatchMessage> | Packed<RangeMessage>;

// TYPES: devtools -> bridge

interface CommandBase {
  readonly protocol: typeof PROTOCOL_VERSION;
  /** The source the command is for; `*` for every bridge on the channel. */
  readonly target: string;
}

/** Asks every bridge to say hello. */
export interface DiscoverCommand extends CommandBase {
  readonly kind: 'discover';
}
/** Asks a bridge for its snapshot, then live batches. */
export interface ConnectCommand extends CommandBase {
  readonly kind: 'connect';
}
/** Stops or resumes recording. While paused the bridge records nothing and counts what it drops. */
export interface PauseCommand extends CommandBase {
  readonly kind: 'pause';
  readonly paused: boolean;
}
/** Publishes a recorded event again on the bus. */
export interface ReplayEventCommand extends CommandBase {
  readonly kind: 'replay-event';
  readonly commandId: string;
  readonly eventId: string;
}
/** Replays a dead letter through the app's dead-letter store. */
export interface ReplayDeadLetterCommand extends CommandBase {
  readonly kind: 'replay-dead-letter';
  readonly commandId: string;
  readonly eventId: string;
  readonly consumer: string;
}
/** Reads a page of the event store's history (`readAll`). */
export interface ReadHistoryCommand extends CommandBase {
  readonly kind: 'read-history';
  readonly commandId: string;
  readonly fromPosition: number;
  readonly limit: number;
}

/** Asks for events' payloads and whole errors, redacted (the detail view, an export); answered by `events`. */
export interface GetEventsCommand extends CommandBase {
  readonly kind: 'get-events';
  readonly commandId: string;
  readonly eventIds: readonly string[];
}
/**
 * Searches the payloads (`data`, `metadata`, after redaction) of the events the bridge holds,
 * case-insensitively; answered by `found`.
 */
export interface SearchCommand extends CommandBase {
  readonly kind: 'search';
  readonly commandId: string;
  readonly text: string;
}

/** Asks for the event records a batch or snapshot left out (`skipped`), numbered `[from, to)`; answered by `range`. */
export interface GetRangeCommand extends CommandBase {
  readonly kind: 'get-range';
  readonly commandId: string;
  readonly from: number;
  readonly to: number;
}

/** Everything a devtools sends. */
export type DevtoolsCommand = DiscoverCommand | ConnectCommand | PauseCommand | ReplayEventCommand | ReplayDeadLetterCommand | ReadHistoryCommand | GetEventsCommand | SearchCommand | GetRangeCommand;

/** Anything on a devtools channel. */
export type DevtoolsMessage = WireBridgeMessage | DevtoolsCommand;

/** A command before the protocol version is stamped on it. */
export type CommandInit = DevtoolsCommand extends infer C ? (C extends DevtoolsCommand ? Omit<C, 'protocol'> : never) : never;

// CLASS-FREE GUARDS: messages arrive from other pages and processes, so they are checked.

const bridgeKinds: ReadonlySet<string> = new Set(['hello', 'snapshot', 'batch', 'range', 'status', 'result', 'history', 'events', 'found', 'bye']);
const commandKinds: ReadonlySet<string> = new Set(['discover', 'connect', 'pause', 'replay-event', 'replay-dead-letter', 'read-history', 'get-events', 'search', 'get-range']);

/**
 * Checks that a value from a channel is a bridge message of this protocol version, and unpacks
 * the records of snapshots and batches.
 * @returns the message, or `undefined` when it is not a devtools message at all (other traffic
 *   on a shared channel is ignored)
 * @throws {EventwireError} `DEVTOOLS_PROTOCOL_MISMATCH` when it is a devtools message of another version,
 *   `INVALID_ARGUMENT` when its packed records are not a list
 * @example
 * ```ts
 * channel.onMessage((raw) => { const message = decodeBridgeMessage(raw); if (message) model.apply(message); });
 * ```
 */
export function decodeBridgeMessage(value: unknown): BridgeMessage | undefined {
  const message = decode(value, bridgeKinds, 'sourceId') as (BridgeMessage & { packed?: unknown }) | undefined;
  if (message === undefined || !('packed' in message)) return message;
  const { packed, ...rest } = message;
  const records = Array.isArray(packed) ? packed.flatMap((list: unknown) => unpackRecords(list, message.sourceId)) : unpackRecords(packed, message.sourceId);
  return { ...rest, records } as BridgeMessage;
}

/**
 * Checks that a value from a channel is a devtools command of this protocol version.
 * @returns the command, or `undefined` when it is not a devtools command
 * @throws {EventwireError} `DEVTOOLS_PROTOCOL_MISMATCH` when it is a command of another version
 * @example
 * ```ts
 * const command = decodeDevtoolsCommand(raw); // undefined for bridge messages and foreign traffic
 * ```
 */
export function decodeDevtoolsCommand(value: unknown): DevtoolsCommand | undefined {
  return decode(value, commandKinds, 'target') as DevtoolsCommand | undefined;
}

function decode(value: unknown, kinds: ReadonlySet<string>, addressField: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  if (typeof message.kind !== 'string' || !kinds.has(message.kind) || !('protocol' in message)) return undefined;
  if (message.protocol !== PROTOCOL_VERSION) {
    throw new EventwireError(
      'DEVTOOLS_PROTOCOL_MISMATCH',
      `Devtools protocol ${String(message.protocol)} received, this side speaks ${PROTOCOL_VERSION}: update @eventwire/devtools-bridge and the devtools together`,
    );
  }
  if (typeof message[addressField] !== 'string') return undefined;
  return message;
}
