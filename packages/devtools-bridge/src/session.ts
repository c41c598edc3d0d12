import { EventwireError, type EventBusStats } from '@eventwire/core';
import type { DevtoolsRecord } from './packing.js';
import { PROTOCOL_VERSION, type BridgeMessage, type SourceInfo } from './protocol.js';

/** The `format` field of a session file. */
export const SESSION_FORMAT = 'eventwire-devtools-session';

/** What the devtools knew about one source when the session was exported. */
export interface SessionSource {
  readonly source: SourceInfo;
  readonly paused: boolean;
  readonly dropped: number;
  readonly stats: EventBusStats;
  /**
   * An `init` record first, then the records in the order they arrived. Events whose payload the
   * devtools could not fetch before the export (older than the bridge's `maxAge` records) stay
   * summaries (protocol 3).
   */
  readonly records: readonly DevtoolsRecord[];
}

/**
 * An exported devtools session: plain JSON, already redacted (it holds only what bridges
 * sent). Open it in the devtools with `createStaticClient`.
 */
export interface DevtoolsSession {
  readonly format: typeof SESSION_FORMAT;
  readonly protocol: typeof PROTOCOL_VERSION;
  readonly exportedAt: string;
  readonly sources: readonly SessionSource[];
}

/**
 * Builds a session from what a devtools holds.
 * @example
 * ```ts
 * const json = JSON.stringify(createSession([{ source, paused: false, dropped: 0, stats, records }]));
 * ```
 */
export function createSession(sources: readonly SessionSource[], exportedAt: Date = new Date()): DevtoolsSession {
  return { format: SESSION_FORMAT, protocol: PROTOCOL_VERSION, exportedAt: exportedAt.toISOString(), sources };
}

/**
 * Checks that a value is a session this version can open.
 * @throws {EventwireError} `DEVTOOLS_PROTOCOL_MISMATCH` for another protocol version,
 *   `INVALID_ARGUMENT` for anything that is not a session
 * @example
 * ```ts
 * const session = parseSession(JSON.parse(text));
 * ```
 */
export function parseSession(value: unknown): DevtoolsSession {
  const session = value as Partial<DevtoolsSession> | null;
  if (typeof session !== 'object' || session === null || session.format !== SESSION_FORMAT) {
    throw new EventwireError('INVALID_ARGUMENT', `Not a devtools session: expected format "${SESSION_FORMAT}"`);
  }
  // Protocols 2 to 5 changed how records travel; sessions still hold records (3 adds event
  // summaries, 4 and 5 change nothing in them), so files of versions 1 to 4 still open.
  if (session.protocol !== PROTOCOL_VERSION && ![1, 2, 3, 4, 5].includes(session.protocol as unknown as number)) {
    throw new EventwireError('DEVTOOLS_PROTOCOL_MISMATCH', `Session of devtools protocol ${String(session.protocol)}; this devtools reads ${PROTOCOL_VERSION}`);
  }
  if (!Array.isArray(session.sources) || !session.sources.every(isSessionSource)) {
    throw new EventwireError('INVALID_ARGUMENT', 'Devtools session: each source needs source.id, stats and a records array');
  }
  return session as DevtoolsSession;
}

/** The bridge messages that replay a session: hello and snapshot per source. */
export function sessionMessages(session: DevtoolsSession): BridgeMessage[] {
  return session.sources.flatMap((entry): BridgeMessage[] => {
    const base = { protocol: PROTOCOL_VERSION, sourceId: entry.source.id } as const;
    return [
      { ...base, kind: 'hello', source: entry.source, paused: entry.paused },
      { ...base, kind: 'snapshot', records: entry.records, dropped: entry.dropped, stats: entry.stats },
    ];
  });
}

function isSessionSource(value: unknown): value is SessionSource {
  const entry = value as Partial<SessionSource> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.source?.id === 'string' &&
    typeof entry.stats === 'object' &&
    entry.stats !== null &&
    Array.isArray(entry.records)
  );
}
