import { checkExpectedVersion, checkTrackingPosition, EventwireError, trackingKey } from '@eventwire/core';
import type { AnyEvent, AppendResult, ExpectedVersion, StoredEvent, StreamId, Tracking } from '@eventwire/core';

/** One stream's part of a unit. */
export interface AppendSpec {
  readonly streamId: StreamId;
  readonly events: readonly AnyEvent[];
  readonly expectedVersion: ExpectedVersion;
}

/**
 * What commits all or nothing: one `append`, or the writes of one `appendTracked` with its
 * tracking record.
 */
export interface CommitUnit {
  readonly appends: readonly AppendSpec[];
  readonly tracking?: Tracking;
}

/** A unit's results, or why it wrote nothing. */
export type UnitOutcome = { readonly ok: true; readonly results: AppendResult[] } | { readonly ok: false; readonly error: unknown };

/** What a batch of units writes. */
export interface BatchPlan {
  readonly outcomes: UnitOutcome[];
  readonly stored: StoredEvent[];
  /** Stream versions after the batch (only streams of the batch). */
  readonly versions: Map<string, number>;
  /** Tracking rows to write: checkpoint name -> position. */
  readonly tracked: Map<string, number>;
  readonly lastPosition: number;
}

/** What the planner knows about the database when it starts. */
export interface PlanInput {
  readonly last: number;
  readonly versions: ReadonlyMap<string, number>;
  /** Ids known to be stored (looked up); undefined when the unique index is left to catch them. */
  readonly storedIds: ReadonlySet<string> | undefined;
  /** Recorded tracking positions by checkpoint name. */
  readonly tracked: ReadonlyMap<string, number>;
}

/**
 * Decides, in call order, what each unit of a batch writes: the events not stored yet (by id,
 * also within the batch), at the versions and positions that follow, or an error that leaves
 * the unit without any write. Must agree exactly with `InMemoryEventStore`.
 */
export function planBatch(units: readonly CommitUnit[], input: PlanInput): BatchPlan {
  const state = new PlanState(input);
  const outcomes = units.map((unit) => state.planUnit(unit));
  return { outcomes, stored: state.stored, versions: state.versions, tracked: state.trackedWrites, lastPosition: state.position };
}

class PlanState {
  readonly stored: StoredEvent[] = [];
  readonly versions: Map<string, number>;
  readonly trackedWrites = new Map<string, number>();
  readonly #written = new Set<string>();
  readonly #storedIds: ReadonlySet<string> | undefined;
  readonly #tracked: Map<string, number>;
  /** The versions the current unit changed, to put back when it fails. */
  #undo: [streamId: string, version: number][] = [];
  position: number;

  constructor(input: PlanInput) {
    this.versions = new Map(input.versions);
    this.#storedIds = input.storedIds;
    this.#tracked = new Map(input.tracked);
    this.position = input.last;
  }

  planUnit(unit: CommitUnit): UnitOutcome {
    const mark = { position: this.position, stored: this.stored.length };
    this.#undo = [];
    try {
      if (unit.tracking !== undefined) checkTrackingPosition(unit.tracking, this.#tracked.get(trackingKey(unit.tracking.consumer, unit.tracking.upstream)) ?? 0);
      const results = unit.appends.map((spec) => this.#planAppend(spec));
      if (unit.tracking !== undefined) {
        const key = trackingKey(unit.tracking.consumer, unit.tracking.upstream);
        this.#tracked.set(key, unit.tracking.position);
        this.trackedWrites.set(key, unit.tracking.position);
      }
      return { ok: true, results };
    } catch (error) {
      // All or nothing: forget what the unit's earlier appends planned.
      for (const stored of this.stored.splice(mark.stored)) this.#written.delete(stored.event.id);
      this.position = mark.position;
      for (const [streamId, version] of this.#undo.reverse()) this.versions.set(streamId, version);
      return { ok: false, error };
    }
  }

  #planAppend({ streamId, events, expectedVersion }: AppendSpec): AppendResult {
    const fresh = this.#fresh(events);
    const current = this.versions.get(streamId) ?? 0;
    if (fresh.length === 0) return { streamId, streamVersion: current, stored: [], duplicates: events.length };
    checkExpectedVersion(streamId, expectedVersion, current);
    const records = fresh.map((event, i) => Object.freeze({ event, streamId, version: current + i + 1, position: this.position + i + 1 }));
    this.position += fresh.length;
    this.#undo.push([streamId, current]);
    this.versions.set(streamId, current + fresh.length);
    for (const record of records) {
      this.#written.add(record.event.id);
      this.stored.push(record);
    }
    return { streamId, streamVersion: current + fresh.length, stored: records, duplicates: events.length - fresh.length };
  }

  #fresh(events: readonly AnyEvent[]): AnyEvent[] {
    const seen = new Set<string>();
    return events.filter((event) => {
      if (seen.has(event.id) || this.#written.has(event.id) || this.#storedIds?.has(event.id) === true) return false;
      seen.add(event.id);
      return true;
    });
  }
}

