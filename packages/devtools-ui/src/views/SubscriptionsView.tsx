import type { ReactNode } from 'react';
import type { DevtoolsModel } from '../model/devtoolsModel.js';
import type { SourceState, SubscriptionView } from '../model/sourceState.js';

/**
 * Subscriptions by event type (and pattern), with wildcard handlers apart: each handler's
 * deliveries, errors and timings; subscriptions appear and go away as they happen.
 */
export function SubscriptionsView({ model, sourceId }: { readonly model: DevtoolsModel; readonly sourceId: string | undefined }) {
  const sources = [...model.sources.values()].filter((s) => sourceId === undefined || s.info.id === sourceId);
  if (sources.length === 0) return <div className="ewd-empty">No bus connected yet. Pages that call connectDevtools(bus) show up here.</div>;
  return (
    <div className="ewd-scroll" data-view="subscriptions">
      {sources.map((source) => (
        <SourceSubscriptions key={source.info.id} source={source} showTitle={sources.length > 1} />
      ))}
    </div>
  );
}

function SourceSubscriptions({ source, showTitle }: { readonly source: SourceState; readonly showTitle: boolean }) {
  const all = [...source.subscriptions.values()];
  const wildcard = all.filter((s) => s.info.kind === 'wildcard');
  const byKey = new Map<string, SubscriptionView[]>();
  for (const view of all) {
    if (view.info.kind === 'wildcard') continue;
    const list = byKey.get(view.info.key);
    if (list === undefined) byKey.set(view.info.key, [view]);
    else list.push(view);
  }
  const keys = [...byKey.keys()].sort((a, b) => Number(isPattern(a)) - Number(isPattern(b)) || a.localeCompare(b));
  const active = all.filter((s) => s.active).length;
  return (
    <div className="ewd-section" data-source={source.info.id}>
      {showTitle && (
        <h3>
          {source.info.label} <span className="ewd-badge">{source.info.busName}</span>
        </h3>
      )}
      <div className="ewd-grid" style={{ marginBottom: 10 }}>
        <Stat value={keys.length} label="event types & patterns" />
        <Stat value={active} label="active subscriptions" />
        <Stat value={wildcard.filter((s) => s.active).length} label="wildcard handlers" />
        <Stat value={all.length - active} label="unsubscribed" />
      </div>
      <div className="ewd-section">
        <h3>By event type</h3>
        <table className="ewd-table" data-testid="subscriptions-by-type">
          <HandlerTableHead scope="Event type / pattern" />
          <tbody>
            {keys.length === 0 && <EmptyRow text="No typed subscriptions" />}
            {keys.map((key) =>
              byKey.get(key)!.map((view, i) => <HandlerRow key={view.info.id} view={view} keyCell={i === 0 ? <KeyCell name={key} count={byKey.get(key)!.length} /> : null} span={byKey.get(key)!.length} />),
            )}
          </tbody>
        </table>
      </div>
      <div className="ewd-section">
        <h3>
          Wildcard handlers <span className="ewd-badge wild">every event</span>
        </h3>
        <table className="ewd-table" data-testid="subscriptions-wildcard">
          <HandlerTableHead scope="Scope" />
          <tbody>
            {wildcard.length === 0 && <EmptyRow text="No wildcard handlers" />}
            {wildcard.map((view, i) => (
              <HandlerRow key={view.info.id} view={view} keyCell={i === 0 ? <span className="ewd-badge wild">*</span> : null} span={wildcard.length} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function KeyCell({ name, count }: { readonly name: string; readonly count: number }) {
  return (
    <>
      <span className="ewd-type">{name}</span> {isPattern(name) && <span className="ewd-badge pat">pattern</span>} <span className="ewd-badge">{count}</span>
    </>
  );
}

/** The header of a handlers table; `scope` names its first column. */
function HandlerTableHead({ scope }: { readonly scope: string }) {
  return (
    <thead>
      <tr>
        <th style={{ width: '28%' }}>{scope}</th>
        <th>Handler</th>
        <th>Delivered</th>
        <th>Errors</th>
        <th>Avg</th>
        <th>Max</th>
        <th>Status</th>
      </tr>
    </thead>
  );
}

/** The one row of a handlers table that has none. */
function EmptyRow({ text }: { readonly text: string }) {
  return (
    <tr>
      <td colSpan={7} className="ewd-empty">
        {text}
      </td>
    </tr>
  );
}

function HandlerRow({ view, keyCell, span }: { readonly view: SubscriptionView; readonly keyCell: ReactNode; readonly span: number }) {
  const calls = view.delivered + view.failed;
  const fresh = Date.now() - (view.until ?? view.since) < 2000;
  return (
    <tr className={`${view.active ? '' : 'ewd-removed'} ${fresh ? 'ewd-fresh' : ''}`} data-handler={view.info.handlerName}>
      {keyCell !== null && <td rowSpan={span}>{keyCell}</td>}
      <td className="ewd-mono">{view.info.handlerName}</td>
      <td>{view.delivered}</td>
      <td>{view.failed > 0 ? <span className="ewd-badge err" title={view.lastError?.message}>{view.failed}</span> : 0}</td>
      <td>{view.timed > 0 ? formatMs(view.totalMs / view.timed) : '–'}</td>
      <td>{view.timed > 0 ? formatMs(view.maxMs) : '–'}</td>
      <td>{view.active ? <span className="ewd-badge ok">active</span> : <span className="ewd-badge">removed</span>}</td>
    </tr>
  );
}

function Stat({ value, label }: { readonly value: number; readonly label: string }) {
  return (
    <div className="ewd-card ewd-stat">
      <b>{value}</b>
      <span>{label}</span>
    </div>
  );
}

function isPattern(key: string): boolean {
  return key.includes('*') || key.includes('>');
}

/** `0.42 ms`, `12 ms`, `1.3 s`. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
