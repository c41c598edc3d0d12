import type { EventEntry } from './sourceState.js';

/** What the event flow shows. */
export interface EventFilter {
  /** Free text: type, ids, aggregate, correlation, and the data as JSON. */
  readonly text: string;
  /** Exact type names; empty means every type. */
  readonly types: ReadonlySet<string>;
  readonly errorsOnly: boolean;
  /** Only this source; `undefined` for all. */
  readonly sourceId: string | undefined;
  /** Only events of this correlation id. */
  readonly correlationId: string | undefined;
}

export const noFilter: EventFilter = { text: '', types: new Set(), errorsOnly: false, sourceId: undefined, correlationId: undefined };

// Data text is computed once per event: searching 10,000 events must not stringify them each keypress.
const searchText = new WeakMap<EventEntry, string>();

function textOf(entry: EventEntry): string {
  let text = searchText.get(entry);
  if (text === undefined) {
    const e = entry.event;
    text = [e.type, e.id, e.aggregateType, e.aggregateId, e.correlationId, e.causationId, safeJson(e.data), safeJson(e.metadata)].join(' ').toLowerCase();
    searchText.set(entry, text);
  }
  return text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/**
 * Whether an entry passes the filter.
 * @example
 * ```ts
 * const shown = model.events.filter((entry) => matches(entry, { ...noFilter, text: 'alice' }));
 * ```
 */
export function matches(entry: EventEntry, filter: EventFilter): boolean {
  if (filter.sourceId !== undefined && entry.sourceId !== filter.sourceId) return false;
  if (filter.errorsOnly && entry.failures === 0) return false;
  if (filter.types.size > 0 && !filter.types.has(entry.event.type)) return false;
  if (filter.correlationId !== undefined && entry.event.correlationId !== filter.correlationId && entry.event.id !== filter.correlationId) return false;
  const text = filter.text.trim().toLowerCase();
  return text === '' || textOf(entry).includes(text);
}

/** Whether the filter lets every event of a source through (no need to copy the list). */
export function isOpen(filter: EventFilter): boolean {
  return !filter.errorsOnly && filter.types.size === 0 && filter.correlationId === undefined && filter.text.trim() === '';
}
