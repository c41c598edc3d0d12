import { useEffect } from 'react';
import { Json } from '../components/Json.js';
import type { DevtoolsModel } from '../model/devtoolsModel.js';
import type { EventEntry } from '../model/sourceState.js';
import { formatMs } from './SubscriptionsView.js';

/**
 * One event: publisher → event → handlers, the causation chain, each delivery, the envelope
 * and the data.
 */
export function EventDetail({
  model,
  entry,
  onSelect,
  onCorrelation,
}: {
  readonly model: DevtoolsModel;
  readonly entry: EventEntry;
  readonly onSelect: (entry: EventEntry) => void;
  readonly onCorrelation: (correlationId: string) => void;
}) {
  // The live stream carries summaries: fetch the payload and whole errors when the event is shown.
  useEffect(() => model.loadDetail(entry), [model, entry]);
  const { data, ...envelope } = entry.event;
  const source = model.sources.get(entry.sourceId);
  const causes = model.causesOf(entry);
  const children = model.childrenOf(entry);
  const live = model.client.mode === 'live';
  return (
    <div data-testid="event-detail">
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 6 }}>
        <h2 style={{ margin: 0, fontSize: 15 }}>{entry.event.type}</h2>
        {entry.failures > 0 ? <span className="ewd-badge err">{entry.failures} failed</span> : <span className="ewd-badge ok">delivered</span>}
        {entry.stored !== undefined && <span className="ewd-badge accent">stored @{entry.stored.position}</span>}
        <span className="ewd-spacer" />
        {live && (
          <button onClick={() => model.replayEvent(entry)} title="Publish this event again on its bus">
            ↻ Replay
          </button>
        )}
        {entry.event.correlationId !== undefined && <button onClick={() => onCorrelation(entry.event.correlationId!)}>Same correlation</button>}
      </div>

      <div className="ewd-diagram" data-testid="flow-diagram">
        <div className="ewd-node" style={{ flex: '0 1 130px', minWidth: 0, overflow: 'hidden' }}>
          <small>publisher</small>
          {entry.origin === 'local' ? (source?.info.label ?? 'this bus') : entry.origin}
          <small>{entry.origin === 'local' ? 'local publish' : 'via transport'}</small>
        </div>
        <div className="ewd-arrow">→</div>
        <div className="ewd-node" style={{ flex: '0 1 170px', minWidth: 0, overflow: 'hidden' }}>
          <small>event</small>
          <b>{entry.event.type}</b>
          <small className="ewd-mono">{entry.event.id}</small>
        </div>
        <div className="ewd-arrow">→</div>
        <div className="ewd-handlers">
          {entry.deliveries.length === 0 && <div className="ewd-node">no handler</div>}
          {entry.deliveries.map((d) => (
            <div key={d.subscriptionId} className={`ewd-node ewd-handler ${d.outcome === 'failed' ? 'failed' : ''}`} data-delivery={d.handlerName}>
              <span className="ewd-mono">
                {d.handlerName} {d.kind === 'wildcard' && <span className="ewd-badge wild">*</span>}
              </span>
              <span>
                {formatMs(d.durationMs)} {d.outcome === 'failed' ? <span className="ewd-badge err">failed</span> : <span className="ewd-badge ok">ok</span>}
              </span>
            </div>
          ))}
        </div>
      </div>

      {entry.deliveries.some((d) => d.error !== undefined) && (
        <div className="ewd-section">
          <h3>Errors</h3>
          {entry.deliveries
            .filter((d) => d.error !== undefined)
            .map((d) => (
              <div key={d.subscriptionId} className="ewd-card" style={{ marginBottom: 6 }}>
                <b className="ewd-mono">{d.handlerName}</b>
                <div className="ewd-error ewd-mono">
                  {d.error!.name}: {d.error!.message}
                </div>
                {d.error!.stack !== undefined && (
                  <details>
                    <summary style={{ color: 'var(--dim)', cursor: 'pointer' }}>stack</summary>
                    <pre className="ewd-json">{d.error!.stack}</pre>
                  </details>
                )}
              </div>
            ))}
        </div>
      )}

      <div className="ewd-section">
        <h3>Causation chain</h3>
        <div className="ewd-chain" data-testid="causation-chain">
          {causes.map((cause) => (
            <span key={cause.seq}>
              <button onClick={() => onSelect(cause)}>{cause.event.type}</button> →
            </span>
          ))}
          <button className="current">{entry.event.type}</button>
          {children.length > 0 && <span>→</span>}
          {children.map((child) => (
            <button key={child.seq} onClick={() => onSelect(child)}>
              {child.event.type}
            </button>
          ))}
          {causes.length === 0 && children.length === 0 && <span style={{ color: 'var(--dim)', marginLeft: 6 }}>no known cause or consequence</span>}
        </div>
      </div>

      <div className="ewd-section">
        <h3>Data</h3>
        {entry.payload === 'whole' ? (
          <Json value={data} />
        ) : (
          <div className="ewd-empty" data-testid="payload-state" data-payload={entry.payload}>
            {entry.payload === 'gone' ? 'The bridge no longer keeps this payload (older than its maxAge records).' : entry.payload === 'loading' ? 'Loading the payload from the bridge…' : 'The payload stays in the page until asked for.'}
          </div>
        )}
      </div>
      <div className="ewd-section">
        <h3>Envelope</h3>
        <dl className="ewd-kv ewd-mono">
          {Object.entries({ ...envelope, source: source?.info.label, received: new Date(entry.time).toISOString() }).map(([key, value]) =>
            value === undefined ? null : (
              <FragmentRow key={key} name={key} value={typeof value === 'object' ? JSON.stringify(value) : String(value)} />
            ),
          )}
        </dl>
      </div>
    </div>
  );
}

function FragmentRow({ name, value }: { readonly name: string; readonly value: string }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </>
  );
}
