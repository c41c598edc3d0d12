import type { AnyEvent, InspectionRecord, SerializedError } from '@eventwire/core';

/** A failed delivery of a kept event, for the detail view's whole errors. */
export interface KeptFailure {
  readonly eventId: string;
  readonly subscriptionId: string;
  readonly error: SerializedError;
}

/**
 * The event a record publishes: a summarized dispatch's or a `published` record's; `undefined`
 * for any other record.
 * @example
 * ```ts
 * const event = eventOf(record);
 * if (event !== undefined) ids.add(event.id);
 * ```
 */
export function eventOf(record: InspectionRecord): AnyEvent | undefined {
  return record.type === 'dispatched' || record.type === 'published' ? record.event : undefined;
}

/**
 * The events of the records a bridge keeps (its ring), oldest first: the ones the devtools can
 * fetch payloads of, search and replay.
 * @example
 * ```ts
 * const events = keptEvents(ring.kept());
 * ```
 */
export function keptEvents(records: readonly InspectionRecord[]): AnyEvent[] {
  const events: AnyEvent[] = [];
  for (const record of records) {
    const event = eventOf(record);
    if (event !== undefined) events.push(event);
  }
  return events;
}

/**
 * A kept event by id, the newest record first.
 * @example
 * ```ts
 * const event = findKeptEvent(ring.kept(), eventId);
 * ```
 */
export function findKeptEvent(records: readonly InspectionRecord[], eventId: string): AnyEvent | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const event = eventOf(records[i]!);
    if (event?.id === eventId) return event;
  }
  return undefined;
}

/**
 * The failed deliveries of some kept events, by event id: the failures of their summarized
 * dispatches and their `failed` records (async handlers).
 * @example
 * ```ts
 * const failures = keptFailures(ring.kept(), new Set([eventId])).get(eventId) ?? [];
 * ```
 */
export function keptFailures(records: readonly InspectionRecord[], eventIds: ReadonlySet<string>): Map<string, KeptFailure[]> {
  const found = new Map<string, KeptFailure[]>();
  const note = (failure: KeptFailure): void => {
    const list = found.get(failure.eventId);
    if (list === undefined) found.set(failure.eventId, [failure]);
    else list.push(failure);
  };
  for (const record of records) {
    if (record.type === 'dispatched' && record.failures !== undefined && eventIds.has(record.event.id)) {
      for (const { index, error } of record.failures) note({ eventId: record.event.id, subscriptionId: record.subscriptionIds[index]!, error });
    } else if (record.type === 'failed' && eventIds.has(record.eventId)) note(record);
  }
  return found;
}
