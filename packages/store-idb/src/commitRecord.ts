import type { StoredEvent } from '@eventwire/core';
import type { CommitRecord } from './schema.js';

/**
 * Packs stored events, already in position order, into commit records of about `size` events.
 * Positions within and across the records of one transaction are consecutive.
 *
 * @example
 * ```ts
 * for (const record of packCommitRecords(stored, 128)) commits.add(record);
 * ```
 */
export function packCommitRecords(events: readonly StoredEvent[], size: number): CommitRecord[] {
  const records: CommitRecord[] = [];
  for (let start = 0; start < events.length; start += size) records.push(toCommitRecord(events.slice(start, start + size)));
  return records;
}

function toCommitRecord(events: readonly StoredEvent[]): CommitRecord {
  const versions = new Map<string, [first: number, last: number]>();
  const eventIds: string[] = [];
  for (const stored of events) {
    const range = versions.get(stored.streamId);
    if (range === undefined) versions.set(stored.streamId, [stored.version, stored.version]);
    else range[1] = stored.version;
    eventIds.push(stored.event.id);
  }
  const streamKeys: (readonly [string, number])[] = [];
  for (const [streamId, [first, last]] of versions) {
    streamKeys.push([streamId, first]);
    if (last !== first) streamKeys.push([streamId, last]);
  }
  return { last: events[events.length - 1]?.position ?? 0, events, streamKeys, eventIds };
}

/** The events of records read by position, from `fromPosition` on, at most `limit`. */
export function eventsFromPosition(records: readonly CommitRecord[], fromPosition: number, limit: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (const record of records) {
    for (const stored of record.events) {
      if (stored.position < fromPosition) continue;
      if (out.length >= limit) return out;
      out.push(stored);
    }
  }
  return out;
}

/** The events of one stream in records read by stream, from `fromVersion` on, at most `limit`. */
export function eventsOfStream(records: readonly CommitRecord[], streamId: string, fromVersion: number, limit: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (const record of records) {
    for (const stored of record.events) {
      if (stored.streamId !== streamId || stored.version < fromVersion) continue;
      if (out.length >= limit) return out;
      out.push(stored);
    }
  }
  return out;
}
