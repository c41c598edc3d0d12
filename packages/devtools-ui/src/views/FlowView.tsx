import { useCallback, useEffect, useMemo, useState } from 'react';
import { VirtualList } from '../components/VirtualList.js';
import type { DevtoolsModel } from '../model/devtoolsModel.js';
import { isOpen, matches, type EventFilter } from '../model/eventFilter.js';
import { isGap, withGaps, type EventGap } from '../model/eventGaps.js';
import type { EventEntry } from '../model/sourceState.js';
import { EventDetail } from './EventDetail.js';
import { formatMs } from './SubscriptionsView.js';

const ROW_HEIGHT = 26;

/**
 * The live event flow: a virtualized timeline of events with their deliveries, filter and
 * search, and the selected event's detail.
 */
export function FlowView({ model, version, sourceId }: { readonly model: DevtoolsModel; readonly version: number; readonly sourceId: string | undefined }) {
  const [text, setText] = useState('');
  const [type, setType] = useState('');
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [correlationId, setCorrelationId] = useState<string | undefined>(undefined);
  const [selected, setSelected] = useState<EventEntry | undefined>(undefined);

  // Payloads are not in the live stream: the bridges search theirs (debounced), types and ids are searched here.
  useEffect(() => {
    const timer = setTimeout(() => model.searchPayloads(text), text.trim() === '' ? 0 : 150);
    return () => clearTimeout(timer);
  }, [model, text]);
  const payloadMatches = model.payloadMatches;
  const searching = model.client.mode === 'live' && text.trim() !== '' && (model.payloadQuery !== text.trim() || model.searching);
  const filter: EventFilter = useMemo(
    () => ({ text, types: new Set(type === '' ? [] : [type]), errorsOnly, sourceId, correlationId, payloadMatches }),
    [text, type, errorsOnly, sourceId, correlationId, payloadMatches],
  );
  const base = sourceId === undefined ? model.events : (model.sources.get(sourceId)?.events ?? []);
  // `version` changes whenever events arrive: refilter then (arrays are mutated in place).
  const shown = useMemo(() => (isOpen({ ...filter, sourceId: undefined }) ? base.slice() : base.filter((entry) => matches(entry, filter))), [base, filter, version]);
  const gaps = useMemo(() => model.gaps.filter((gap) => sourceId === undefined || gap.sourceId === sourceId), [model, sourceId, version]);
  const rows = useMemo(() => withGaps(shown, gaps), [shown, gaps]);
  const loadGap = useCallback((gap: EventGap) => void model.loadGap(gap), [model]);
  const gapEvents = gaps.reduce((sum, gap) => sum + gap.events, 0);
  const types = useMemo(() => [...new Set(base.map((entry) => entry.event.type))].sort(), [base, version]);
  const multiSource = model.sources.size > 1 && sourceId === undefined;

  return (
    <div className="ewd-flow" data-view="flow">
      <div className="ewd-list">
        <div className="ewd-toolbar">
          <input type="search" placeholder="Search type, id, aggregate, data…" value={text} onChange={(e) => setText(e.target.value)} aria-label="Search events" />
          <select value={type} onChange={(e) => setType(e.target.value)} aria-label="Event type">
            <option value="">All types</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          <label>
            <input type="checkbox" checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)} /> errors only
          </label>
          {correlationId !== undefined && (
            <button onClick={() => setCorrelationId(undefined)} title="Clear the correlation filter">
              correlation {correlationId.slice(0, 8)} ✕
            </button>
          )}
          <span className="ewd-spacer" />
          <span
            className="ewd-badge"
            data-testid="event-count"
            data-total={base.length + gapEvents}
            data-searching={searching || undefined}
            title={searching ? 'searching payloads in the bridges…' : gapEvents > 0 ? 'events of bursts the bridges did not stream (fetched when their row is shown) or did not record (past their burstLimit: counted only)' : undefined}
          >
            {shown.length === base.length ? `${base.length} events` : `${shown.length} of ${base.length}`}
            {gapEvents > 0 && ` · ${gapEvents} in gaps`}
          </span>
        </div>
        <div className="ewd-listhead">
          <span>Time</span>
          <span>Event</span>
          <span>Aggregate</span>
          <span>Handlers</span>
          <span style={{ textAlign: 'right' }}>Slowest</span>
        </div>
        {rows.length === 0 ? (
          <div className="ewd-empty">{base.length === 0 ? 'Waiting for events…' : 'No event matches the filter.'}</div>
        ) : (
          <VirtualList
            count={rows.length}
            rowHeight={ROW_HEIGHT}
            followTail
            scrollToIndex={selected === undefined ? undefined : rows.indexOf(selected)}
            renderRow={(i, style) => {
              const row = rows[i]!;
              if (isGap(row)) return <GapRow key={`gap:${row.sourceId}:${row.afterSeq}`} gap={row} style={style} onShown={loadGap} />;
              return <EventRow key={row.seq} entry={row} style={style} selected={row === selected} onSelect={setSelected} sourceLabel={multiSource ? model.sources.get(row.sourceId)?.info.label : undefined} />;
            }}
          />
        )}
      </div>
      <div className="ewd-detail">
        {selected === undefined ? (
          <div className="ewd-empty">Select an event to see its envelope, data, deliveries and causation chain.</div>
        ) : (
          <EventDetail model={model} entry={selected} onSelect={setSelected} onCorrelation={setCorrelationId} />
        )}
      </div>
    </div>
  );
}

/** A burst's events the bridge did not stream: fetched as soon as the row is shown (the list renders only the rows in view), unless they were never recorded. */
function GapRow({ gap, style, onShown }: { readonly gap: EventGap; readonly style: { top: number; height: number }; readonly onShown: (gap: EventGap) => void }) {
  useEffect(() => onShown(gap), [gap, onShown]);
  const text =
    gap.state === 'unrecorded'
      ? `${gap.events} events of a burst, counted but not recorded (past the bridge's burstLimit)`
      : gap.state === 'gone'
        ? `${gap.events} events of a burst: no longer kept by the bridge (its maxAge)`
        : `${gap.events} events of a burst, not streamed: ${gap.state === 'loading' ? 'loading…' : 'fetched when shown'}`;
  return (
    <div role="listitem" className="ewd-row ewd-gap" style={style} data-gap={gap.state}>
      <span className="ewd-time ewd-mono">⋯</span>
      <span style={{ gridColumn: '2 / -1', color: 'var(--dim)' }}>{text}</span>
    </div>
  );
}

function EventRow({
  entry,
  style,
  selected,
  onSelect,
  sourceLabel,
}: {
  readonly entry: EventEntry;
  readonly style: { top: number; height: number };
  readonly selected: boolean;
  readonly onSelect: (entry: EventEntry) => void;
  readonly sourceLabel: string | undefined;
}) {
  const event = entry.event;
  return (
    <div
      role="listitem"
      className={`ewd-row ${selected ? 'selected' : ''} ${entry.failures > 0 ? 'failed' : ''}`}
      style={style}
      onClick={() => onSelect(entry)}
      data-event-type={event.type}
      data-event-id={event.id}
    >
      <span className="ewd-time ewd-mono">{formatTime(entry.time)}</span>
      <span>
        <span className="ewd-type">{event.type}</span> {entry.origin !== 'local' && (
          <span className="ewd-badge accent" title={`relayed by ${entry.origin}`}>
            ↓ {entry.origin.split(':')[0]}
          </span>
        )} {entry.background && <span className="ewd-badge">bg</span>}
        {sourceLabel !== undefined && <span className="ewd-badge">{sourceLabel}</span>}
      </span>
      <span className="ewd-mono" style={{ color: 'var(--dim)' }}>
        {event.aggregateId === undefined ? '—' : `${event.aggregateType ?? ''} ${event.aggregateId.slice(0, 10)}`}
      </span>
      <span className="ewd-dots" title={entry.deliveries.map((d) => `${d.handlerName}: ${d.outcome} ${formatMs(d.durationMs)}`).join('\n')}>
        {entry.deliveries.slice(0, 12).map((d) => (
          <i key={d.subscriptionId} className={`ewd-dot ${d.outcome === 'failed' ? 'failed' : ''} ${d.kind === 'wildcard' ? 'wild' : ''}`} />
        ))}
        <span style={{ color: 'var(--dim)', marginLeft: 4 }}>
          {entry.deliveries.length}
          {entry.failures > 0 && <span style={{ color: 'var(--err)' }}> · {entry.failures} failed</span>}
        </span>
      </span>
      <span className="ewd-mono" style={{ textAlign: 'right', color: 'var(--dim)' }}>
        {entry.deliveries.length > 0 ? formatMs(entry.totalMs) : ''}
      </span>
    </div>
  );
}

function formatTime(time: number): string {
  const date = new Date(time);
  return `${date.toTimeString().slice(0, 8)}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}
