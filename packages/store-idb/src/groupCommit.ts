import { trackingKey } from '@eventwire/core';
import type { AnyEvent, AppendResult, ExpectedVersion, StoredEvent, StreamId, Tracking } from '@eventwire/core';
import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { planBatch } from './batchPlan.js';
import type { BatchPlan, CommitUnit, UnitOutcome } from './batchPlan.js';
import { packCommitRecords } from './commitRecord.js';
import type { IdbConnection } from './connection.js';
import type { EventwireDB } from './schema.js';
import { domErrorName, toStoreError } from './storeError.js';

/** A unit waiting for the next group commit. */
interface PendingUnit extends CommitUnit {
  readonly resolve: (results: AppendResult[]) => void;
  readonly reject: (error: unknown) => void;
}

type WriteTransaction = IDBPTransaction<EventwireDB, ('commits' | 'outbox' | 'checkpoints')[], 'readwrite'>;

/** Options of {@link GroupCommit}. */
export interface GroupCommitOptions {
  durability: IDBTransactionDurability;
  /** Events per commit record. */
  recordSize: number;
  /** Also write an outbox entry for the events of each transaction. */
  outbox: boolean;
  /** Called after each successful transaction with the events it stored, in order. */
  onCommitted: (stored: readonly StoredEvent[], lastPosition: number) => void;
  /** @internal fault injection for tests: runs after the writes are issued, before the commit. */
  beforeCommit?: (tx: IDBTransaction) => void;
}

// A bound on the events of one transaction, so that a flood of appends still commits steadily.
const maxEventsPerTransaction = 20_000;
// A bound on the stream-version cache.
const maxCachedStreams = 100_000;

/**
 * Group commit: appends issued in the same tick (and those issued while a transaction is in
 * flight) share one IndexedDB transaction, each keeping its own concurrency check and result.
 *
 * Stream versions come from the `byStream` index, or from a cache that is valid only while the
 * store's last position is the one this writer last saw (any writer, in any tab, moves it).
 * Duplicate event ids are caught by the unique `byEventId` index: when one fires, the
 * transaction rolls back and the batch is planned again with every id looked up.
 * @internal
 */
export class GroupCommit {
  readonly #connection: IdbConnection;
  readonly #options: GroupCommitOptions;
  #queue: PendingUnit[] = [];
  #draining: Promise<void> | undefined;
  #scheduled = false;
  #versions = new Map<string, number>();
  /** Whether #versions holds every stream of the database (it does after seeing it empty). */
  #complete = false;
  #knownLast = -1;

  constructor(connection: IdbConnection, options: GroupCommitOptions) {
    this.#connection = connection;
    this.#options = options;
  }

  append(streamId: StreamId, events: readonly AnyEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
    return this.#enqueue([{ streamId, events, expectedVersion }], undefined).then((results) => results[0] as AppendResult);
  }

  /** Appends to several streams and records `tracking`, all or nothing. */
  appendTracked(appends: CommitUnit['appends'], tracking: Tracking): Promise<AppendResult[]> {
    return this.#enqueue(appends, tracking);
  }

  #enqueue(appends: CommitUnit['appends'], tracking: Tracking | undefined): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.#queue.push(tracking === undefined ? { appends, resolve, reject } : { appends, tracking, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves when every append issued so far has settled. */
  async idle(): Promise<void> {
    while (this.#draining !== undefined || this.#scheduled) await (this.#draining ?? Promise.resolve());
  }

  #schedule(): void {
    if (this.#scheduled || this.#draining !== undefined) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#draining = this.#drain().finally(() => {
        this.#draining = undefined;
        // Appends made between the drain's last look at the queue and now.
        if (this.#queue.length > 0) this.#schedule();
      });
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) await this.#flush(this.#takeBatch());
  }

  #takeBatch(): PendingUnit[] {
    let events = 0;
    let count = 0;
    while (count < this.#queue.length && (count === 0 || events < maxEventsPerTransaction)) {
      for (const spec of this.#queue[count++]?.appends ?? []) events += spec.events.length;
    }
    return this.#queue.splice(0, count);
  }

  async #flush(batch: readonly PendingUnit[]): Promise<void> {
    let careful = false;
    let reopened = false;
    for (;;) {
      let db: IDBPDatabase<EventwireDB> | undefined;
      try {
        db = await this.#connection.get();
        const outcomes = await this.#commit(db, batch, careful);
        batch.forEach((pending, i) => settle(pending, outcomes[i]));
        return;
      } catch (error) {
        const name = domErrorName(error);
        if (name === 'ConstraintError' && !careful) {
          careful = true;
          continue;
        }
        if (name === 'InvalidStateError' && !reopened && db !== undefined) {
          reopened = true;
          this.#connection.invalidate(db);
          continue;
        }
        this.#knownLast = -1;
        const failure = toStoreError(error, 'append');
        for (const pending of batch) pending.reject(failure);
        return;
      }
    }
  }

  async #commit(db: IDBPDatabase<EventwireDB>, batch: readonly PendingUnit[], careful: boolean): Promise<UnitOutcome[]> {
    const tracking = batch.some((unit) => unit.tracking !== undefined);
    const scope: ('commits' | 'outbox' | 'checkpoints')[] = ['commits'];
    if (this.#options.outbox) scope.push('outbox');
    if (tracking) scope.push('checkpoints');
    const tx: WriteTransaction = db.transaction(scope, 'readwrite', { durability: this.#options.durability });
    const done = tx.done;
    done.catch(() => {});
    try {
      const last = (await tx.objectStore('commits').openKeyCursor(null, 'prev'))?.key ?? 0;
      this.#validateCache(last);
      const assumed = new Set<string>();
      const [versions, storedIds, tracked] = await Promise.all([
        this.#lookUpVersions(tx, batch, careful ? undefined : assumed),
        careful ? lookUpIds(tx, batch) : undefined,
        tracking ? lookUpTracking(tx, batch) : new Map<string, number>(),
      ]);
      let plan = planBatch(batch, { last, versions, storedIds, tracked });
      const uncertain = careful ? [] : batch.filter((_, i) => isUncertain(plan.outcomes[i], assumed));
      if (uncertain.length > 0) {
        // Writes check themselves (unique indexes), but outcomes that write nothing do not: a
        // conflict is real only if the append had something new (a retry of stored events is a
        // no-op), and a no-op must report the stream's real version.
        const [ids] = await Promise.all([lookUpIds(tx, uncertain), this.#confirmVersions(tx, uncertain, versions, assumed)]);
        plan = planBatch(batch, { last, versions, storedIds: ids, tracked });
      }
      const writes = this.#write(tx, plan, last);
      this.#options.beforeCommit?.(tx as unknown as IDBTransaction);
      await Promise.all([...writes, done]);
      // An assumed version is confirmed only by a write to the stream (the unique index checked it).
      const written = new Set(plan.stored.map((stored) => stored.streamId));
      for (const streamId of assumed) if (!written.has(streamId)) plan.versions.delete(streamId);
      this.#remember(plan.versions, plan.lastPosition);
      if (plan.stored.length > 0) this.#options.onCommitted(plan.stored, plan.lastPosition);
      return plan.outcomes;
    } catch (error) {
      abortQuietly(tx);
      // Prefer the transaction's own error (quota, constraint) to the abort it caused.
      throw domErrorName(error) === 'AbortError' && tx.error !== null ? tx.error : error;
    }
  }

  #validateCache(last: number): void {
    if (last === this.#knownLast) return;
    this.#versions.clear();
    this.#complete = last === 0;
    this.#knownLast = last;
  }

  /**
   * The current version of each stream of the batch: from the cache, or assumed new (0) when
   * every append to it would write version 1 (a wrong guess is a constraint error on
   * `[streamId, 1]`, and the batch is planned again carefully), or looked up in the index.
   */
  async #lookUpVersions(tx: WriteTransaction, batch: readonly PendingUnit[], assumed: Set<string> | undefined): Promise<Map<string, number>> {
    const versions = new Map<string, number>();
    const lookups: Promise<void>[] = [];
    const mustLookUp = assumed === undefined ? undefined : streamsNeedingLookup(batch);
    for (const { streamId } of batch.flatMap((unit) => unit.appends)) {
      if (versions.has(streamId)) continue;
      const cached = this.#versions.get(streamId);
      if (cached !== undefined || this.#complete) {
        versions.set(streamId, cached ?? 0);
      } else if (mustLookUp?.has(streamId) === false) {
        versions.set(streamId, 0);
        assumed?.add(streamId);
      } else {
        versions.set(streamId, 0);
        lookups.push(lookUpVersion(tx, streamId).then((version) => void versions.set(streamId, version)));
      }
    }
    await Promise.all(lookups);
    return versions;
  }

  async #confirmVersions(tx: WriteTransaction, units: readonly PendingUnit[], versions: Map<string, number>, assumed: Set<string>): Promise<void> {
    const streams = new Set(units.flatMap((unit) => unit.appends.map((spec) => spec.streamId)).filter((streamId) => assumed.has(streamId)));
    await Promise.all(
      Array.from(streams, async (streamId) => {
        versions.set(streamId, await lookUpVersion(tx, streamId));
        assumed.delete(streamId);
      }),
    );
  }

  #write(tx: WriteTransaction, plan: BatchPlan, last: number): Promise<unknown>[] {
    const writes: Promise<unknown>[] = [];
    for (const [name, position] of plan.tracked) writes.push(tx.objectStore('checkpoints').put({ name, position }));
    if (plan.stored.length === 0) return writes;
    const commits = tx.objectStore('commits');
    for (const record of packCommitRecords(plan.stored, this.#options.recordSize)) writes.push(commits.add(record));
    if (this.#options.outbox) writes.push(tx.objectStore('outbox').add({ first: last + 1, last: plan.lastPosition }));
    return writes;
  }

  #remember(versions: ReadonlyMap<string, number>, lastPosition: number): void {
    if (this.#versions.size + versions.size > maxCachedStreams) {
      this.#versions.clear();
      this.#complete = false;
    }
    for (const [streamId, version] of versions) this.#versions.set(streamId, version);
    this.#knownLast = lastPosition;
  }
}

function lookUpVersion(tx: WriteTransaction, streamId: string): Promise<number> {
  return tx
    .objectStore('commits')
    .index('byStream')
    .openKeyCursor(streamRange(streamId), 'prev')
    .then((cursor) => cursor?.key[1] ?? 0);
}

/** Whether an outcome planned without lookups could be wrong (writes are checked by the indexes). */
function isUncertain(outcome: UnitOutcome | undefined, assumed: ReadonlySet<string>): boolean {
  if (outcome === undefined || !outcome.ok) return true;
  return outcome.results.some((result) => result.stored.length === 0 && assumed.has(result.streamId));
}

/** The streams of a batch that some append expects to exist already: those need a lookup. */
function streamsNeedingLookup(batch: readonly PendingUnit[]): Set<string> {
  const streams = new Set<string>();
  for (const { streamId, expectedVersion } of batch.flatMap((unit) => unit.appends)) {
    if (expectedVersion !== 'any' && expectedVersion !== 'noStream' && expectedVersion !== 0) streams.add(streamId);
  }
  return streams;
}

function freshEvents(events: readonly AnyEvent[], written: ReadonlySet<string>, storedIds: ReadonlySet<string> | undefined): AnyEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    if (seen.has(event.id) || written.has(event.id) || storedIds?.has(event.id) === true) return false;
    seen.add(event.id);
    return true;
  });
}

async function lookUpTracking(tx: WriteTransaction, batch: readonly PendingUnit[]): Promise<Map<string, number>> {
  const tracked = new Map<string, number>();
  const keys = new Set(batch.flatMap((unit) => (unit.tracking === undefined ? [] : [trackingKey(unit.tracking.consumer, unit.tracking.upstream)])));
  await Promise.all(Array.from(keys, async (key) => tracked.set(key, (await tx.objectStore('checkpoints').get(key))?.position ?? 0)));
  return tracked;
}

async function lookUpIds(tx: WriteTransaction, batch: readonly PendingUnit[]): Promise<Set<string>> {
  const byEventId = tx.objectStore('commits').index('byEventId');
  const ids = new Set(batch.flatMap((unit) => unit.appends.flatMap((spec) => spec.events.map((event) => event.id))));
  const found = new Set<string>();
  await Promise.all(
    Array.from(ids, (id) =>
      byEventId.getKey(id).then((key) => {
        if (key !== undefined) found.add(id);
      }),
    ),
  );
  return found;
}

/** Every `byStream` key of one stream. */
export function streamRange(streamId: string, fromVersion = 0): IDBKeyRange {
  return IDBKeyRange.bound([streamId, fromVersion], [streamId, Infinity]);
}

function settle(pending: PendingUnit, outcome: UnitOutcome | undefined): void {
  if (outcome === undefined) pending.reject(new Error('eventwire: no outcome for an append (bug)'));
  else if (outcome.ok) pending.resolve(outcome.results);
  else pending.reject(outcome.error);
}

function abortQuietly(tx: WriteTransaction): void {
  try {
    tx.abort();
  } catch {
    // Already finished or aborted.
  }
}
