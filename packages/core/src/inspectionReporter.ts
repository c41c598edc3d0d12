import type { ReportedRecord } from './inspection.js';

/**
 * Where stores, runners and relays report what they do (stored, checkpoint, dead-lettered):
 * usually the bus, whose `report` adds the record to its inspection stream for the devtools.
 *
 * @example
 * ```ts
 * const runner = new ProjectionRunner({ name: 'orders', store, checkpoints, handler, reporter: bus });
 * ```
 */
export interface InspectionReporter {
  report(record: ReportedRecord): void;
}

/**
 * Sends a record to an optional reporter; a throwing reporter never breaks the caller.
 *
 * @example
 * ```ts
 * reportTo(options.reporter, { type: 'checkpoint', projection: 'orders', position: 42 });
 * ```
 */
export function reportTo(reporter: InspectionReporter | undefined, record: ReportedRecord): void {
  if (reporter === undefined) return;
  try {
    reporter.report(record);
  } catch {
    // Inspection is best effort: the devtools must never break the store or the runner.
  }
}
