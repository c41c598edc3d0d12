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
  /**
   * Events (`sourceId:eventId`) that match `text` by their payload, as the bridges answered a
   * payload search (the live stream carries no payloads).
   */
  readonly payloadMatches?: ReadonlySet<string>;
}

export const noFilter: EventFilter = { text: '', types: new Set(), errorsOnly: false, sourceId: undefined, correlationId: undefined };

// Text is computed once per event (by the event object: it is replaced when its payload arrives):
// searching 10,000 events must not stringify them each keypress.
const searchText = new WeakMap<object, string>();

function textOf(entry: EventEntry): string {
  const e = entry.event;
  let text = searchText.get(e);
  if (text === undefined) {
    const payload = e.data === undefined && e.metadata === undefined ? '' : `${safeJson(e.data)} ${safeJson(e.metadata)}`;
    text = `${e.type} ${e.id} ${e.aggregateType ?? ''} ${e.aggregateId ?? ''} ${e.correlationId ?? ''} ${e.causationId ?? ''} ${payload}`.toLowerCase();
    searchText.set(e, text);
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
  return text === '' || textOf(entry).includes(text) || filter.payloadMatches?.has(`${entry.sourceId}:${entry.event.id}`) === true;
}

/** Whether the filter lets every event of a source through (no need to copy the list). */
export function isOpen(filter: EventFilter): boolean {
  return !filter.errorsOnly && filter.types.size === 0 && filter.correlationId === undefined && filter.text.trim() === '';
}
