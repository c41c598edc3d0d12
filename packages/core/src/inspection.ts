import type { SerializedError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { EventBusStats } from './eventBus.js';

/** What kind of subscription: one type name, a routing-key pattern, or every event. */
export type SubscriptionKind = 'type' | 'pattern' | 'wildcard';

/** A subscription as the devtools see it. */
export interface SubscriptionInfo {
  readonly id: string;
  readonly kind: SubscriptionKind;
  /** The type name, the pattern (`Order.*`), or `*` for wildcard subscriptions. */
  readonly key: string;
  readonly handlerName: string;
}

/** A context that takes part in the bus: this tab, another tab, a worker, a remote process. */
export interface PeerInfo {
  readonly id: string;
  readonly kind: 'tab' | 'worker' | 'shared-worker' | 'process' | 'remote' | (string & {});
  readonly name?: string;
}

interface Base {
  /** The bus that emitted the record. */
  readonly busId: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
}

/** The first record every inspector gets: what the bus looks like right now. */
export interface InitRecord extends Base {
  readonly type: 'init';
  readonly busName: string;
  readonly subscriptions: readonly SubscriptionInfo[];
  readonly stats: EventBusStats;
}
export interface SubscribedRecord extends Base {
  readonly type: 'subscribed';
  readonly subscription: SubscriptionInfo;
}
export interface UnsubscribedRecord extends Base {
  readonly type: 'unsubscribed';
  readonly subscriptionId: string;
}
export interface PublishedRecord extends Base {
  readonly type: 'published';
  readonly event: AnyEvent;
  readonly background: boolean;
  /** Where the event came from: `local`, or the name of the transport that brought it. */
  readonly source: string;
}
export interface DeliveredRecord extends Base {
  readonly type: 'delivered';
  readonly eventId: string;
  readonly subscriptionId: string;
  /** How long the handler ran; absent when this dispatch was not timed (see {@link InspectOptions.timeOneIn}). */
  readonly durationMs?: number;
}
export interface FailedRecord extends Base {
  readonly type: 'failed';
  readonly eventId: string;
  readonly subscriptionId: string;
  /** How long the handler ran; absent when this dispatch was not timed (see {@link InspectOptions.timeOneIn}). */
  readonly durationMs?: number;
  readonly error: SerializedError;
}
/** A handler that threw as it ran, in a {@link DispatchedRecord}. */
export interface DispatchFailure {
  /** The handler's place in the record's `subscriptionIds`. */
  readonly index: number;
  readonly error: SerializedError;
}

/**
 * One dispatch in one record, for inspectors that ask for it (`bus.inspect(listener, { summarize: true })`):
 * the event and what its handlers did, in place of a `published` record and a `delivered` or
 * `failed` record per handler. Every handler in `subscriptionIds` was called; each one
 * delivered, except those listed in `failures` (it threw) and in `pending` (it returned a
 * promise: its `delivered` or `failed` record follows when the promise settles).
 */
export interface DispatchedRecord extends Base {
  readonly type: 'dispatched';
  readonly event: AnyEvent;
  readonly background: boolean;
  /** Where the event came from: `local`, or the name of the transport that brought it. */
  readonly source: string;
  /**
   * The subscriptions whose handlers were called, in order. One array per route, shared by the
   * dispatches of that route until the subscriptions change (so a listener can recognise it): frozen.
   */
  readonly subscriptionIds: readonly string[];
  /** The handlers that threw; absent when none did. */
  readonly failures?: readonly DispatchFailure[] | undefined;
  /** The places in `subscriptionIds` of the handlers that returned a promise; absent when none did. */
  readonly pending?: readonly number[] | undefined;
  /**
   * How long each handler ran, by its place in `subscriptionIds`, when this dispatch was timed
   * (see {@link InspectOptions.timeOneIn}); for a pending handler, until it returned its promise.
   */
  readonly durationsMs?: readonly number[] | undefined;
}

/**
 * Dispatches that an inspection budget left uninspected (see {@link InspectOptions.budget}):
 * sent once their period ends, in place of their records. Counts only: which events they were
 * is not known.
 */
export interface UnrecordedRecord extends Base {
  readonly type: 'unrecorded';
  /** When the first of them was dispatched (milliseconds since the epoch). */
  readonly since: number;
  /** Events dispatched without inspection. */
  readonly events: number;
  /**
   * By subscription id: how many of those events its handler was called with, and how many of
   * those calls failed (a throw, or a promise that rejected, also after the period ended).
   */
  readonly deliveries: Readonly<Record<string, readonly [calls: number, failed: number]>>;
  /** Dead letters reported (`bus.report`) while the budget was spent, counted instead of sent. */
  readonly deadLetters: number;
}

export interface BackgroundRecord extends Base {
  readonly type: 'background';
  readonly phase: 'started' | 'settled';
  readonly taskId: number;
  /** Background tasks still running after this one started or settled. */
  readonly pending: number;
}
export interface TransportRecord extends Base {
  readonly type: 'transport';
  readonly direction: 'in' | 'out';
  readonly transport: string;
  readonly peer?: PeerInfo;
  readonly eventIds: readonly string[];
}
/** Input from outside the process that was refused (invalid, forged, unknown type). */
export interface RejectedRecord extends Base {
  readonly type: 'rejected';
  readonly source: string;
  readonly error: SerializedError;
}
export interface StoredRecord extends Base {
  readonly type: 'stored';
  readonly store: string;
  readonly streamId: string;
  readonly eventId: string;
  readonly version: number;
  readonly position: number;
}
export interface CheckpointRecord extends Base {
  readonly type: 'checkpoint';
  readonly projection: string;
  readonly position: number;
  /** Events in the store past the checkpoint, when known. */
  readonly lag?: number;
}
export interface DeadLetteredRecord extends Base {
  readonly type: 'dead-lettered';
  readonly eventId: string;
  readonly consumer: string;
  readonly attempts: number;
  readonly error: SerializedError;
}
export interface LeaderRecord extends Base {
  readonly type: 'leader';
  readonly election: string;
  readonly isLeader: boolean;
  readonly leaderId?: string;
}
export interface PeerRecord extends Base {
  readonly type: 'peer';
  readonly peer: PeerInfo;
  readonly status: 'joined' | 'left';
}

/**
 * One record of the inspection stream: plain data, safe to clone and send to the devtools.
 * The bus emits the first nine kinds (`dispatched` only while every inspector asks for summaries,
 * `unrecorded` only while every inspector has a budget);
 * stores, transports and runners report the others.
 */
export type InspectionRecord =
  | InitRecord
  | SubscribedRecord
  | UnsubscribedRecord
  | PublishedRecord
  | DeliveredRecord
  | FailedRecord
  | DispatchedRecord
  | UnrecordedRecord
  | BackgroundRecord
  | TransportRecord
  | RejectedRecord
  | StoredRecord
  | CheckpointRecord
  | DeadLetteredRecord
  | LeaderRecord
  | PeerRecord;

/** Receives inspection records. */
export type InspectionListener = (record: InspectionRecord) => void;

/**
 * Options of `bus.inspect`.
 *
 * @example
 * ```ts
 * // A devtools that must stay cheap: handler durations on one dispatch in 16, one record per dispatch.
 * bus.inspect(send, { timeOneIn: 16, summarize: true });
 * ```
 */
export interface InspectOptions {
  /**
   * Times the handlers of one dispatch in this many; the `delivered` and `failed` records of
   * the others carry no `durationMs`. Reading a precise clock is not free (about 1 µs a read in
   * Chromium pages that are not cross-origin isolated, twice per handler), so an always-on
   * inspector samples. With several inspectors the bus times as often as the most demanding.
   * @default 1 (every dispatch is timed)
   */
  timeOneIn?: number;
  /**
   * One {@link DispatchedRecord} per dispatch instead of a `published` record and a record per
   * handler: what an always-on inspector that sends everything elsewhere (the devtools bridge)
   * wants, since most of its cost is per record. With summaries, the first dispatch of each task
   * of the event loop is timed as well as one in `timeOneIn`: events of single interactions all
   * get durations, bursts are sampled. The promises of async handlers are still
   * followed by their own `delivered` or `failed` record. A request: while an inspector without
   * it is attached too, every inspector gets `published`, `delivered` and `failed` records, so a
   * listener that asks for summaries reads those as well.
   * @default false
   */
  summarize?: boolean;
  /**
   * Caps what inspection costs in a burst: at most `dispatches` dispatches are inspected per
   * period of `periodMs` (a period starts with its first inspected dispatch). The bus runs the
   * period's other dispatches exactly as with no inspector attached, works out how many each
   * handler got from the counts it keeps anyway, and ends the period with one
   * {@link UnrecordedRecord}; dead letters reported
   * meanwhile are counted in it instead of sent. Async handlers of inspected dispatches still get
   * their `delivered` and `failed` records. Applies while every inspector asks for a budget; the
   * largest one is used.
   * @default none: every dispatch is inspected
   */
  budget?: InspectionBudgetOptions;
}

/** An inspector's budget: see {@link InspectOptions.budget}. */
export interface InspectionBudgetOptions {
  /** Dispatches inspected per period, at most: 1 or more (`Infinity`: no budget). */
  readonly dispatches: number;
  /** How long a period lasts, in milliseconds. */
  readonly periodMs: number;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A record that an adapter reports to a bus with `bus.report(...)`; the bus adds `busId` and `time`. */
export type ReportedRecord = DistributiveOmit<
  TransportRecord | RejectedRecord | StoredRecord | CheckpointRecord | DeadLetteredRecord | LeaderRecord | PeerRecord,
  'busId' | 'time'
>;
