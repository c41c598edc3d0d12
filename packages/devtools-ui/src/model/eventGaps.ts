import type { EventEntry } from './sourceState.js';

/**
 * Events a bridge left out of its live stream during a burst (its batches carry the newest
 * records): the list shows them as one row, counted, and fetches them when the row comes into
 * view, as long as the bridge still keeps them. Events past the bridge's `burstLimit` were never
 * recorded: their row (`unrecorded`) counts them and has nothing to fetch.
 */
export interface EventGap {
  readonly sourceId: string;
  /** The bridge's record numbers `[from, to)` (both 0 for an `unrecorded` gap). */
  readonly from: number;
  readonly to: number;
  /** Events in the gap (for a `gone` gap: the ones the bridge no longer keeps). */
  readonly events: number;
  /** The `seq` of the entry the gap comes after (0: before every entry). */
  readonly afterSeq: number;
  /**
   * `remote`: the bridge keeps them; `loading`: asked for; `gone`: the bridge no longer keeps
   * them; `unrecorded`: past the bridge's burst limit, counted only.
   */
  state: 'remote' | 'loading' | 'gone' | 'unrecorded';
}

/** A row of the event list: an event, or a gap. */
export type FlowRow = EventEntry | EventGap;

/** Whether a row is a gap. */
export function isGap(row: FlowRow): row is EventGap {
  return 'afterSeq' in row;
}

/**
 * The event list's rows: the entries (in `seq` order) with each gap after the entry it follows.
 * @example
 * ```ts
 * const rows = withGaps(shownEntries, model.gaps);
 * ```
 */
export function withGaps(entries: readonly EventEntry[], gaps: readonly EventGap[]): FlowRow[] {
  if (gaps.length === 0) return entries as EventEntry[];
  const sorted = [...gaps].sort((a, b) => a.afterSeq - b.afterSeq);
  const rows: FlowRow[] = [];
  let g = 0;
  for (const entry of entries) {
    while (g < sorted.length && sorted[g]!.afterSeq < entry.seq) rows.push(sorted[g++]!);
    rows.push(entry);
  }
  while (g < sorted.length) rows.push(sorted[g++]!);
  return rows;
}

/** The index of the first entry whose `seq` is above `seq` (entries in `seq` order). */
export function indexAfter(entries: readonly EventEntry[], seq: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (entries[middle]!.seq <= seq) low = middle + 1;
    else high = middle;
  }
  return low;
}
