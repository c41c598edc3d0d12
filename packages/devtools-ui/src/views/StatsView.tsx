import { RateChart } from '../components/RateChart.js';
import type { DevtoolsModel } from '../model/devtoolsModel.js';
import type { SubscriptionView } from '../model/sourceState.js';
import { sumPoints } from '../model/rateSeries.js';
import { formatMs } from './SubscriptionsView.js';

/** Counters of the bus (exact, from the bus) and rates over the last minute (from the records). */
export function StatsView({ model, sourceId }: { readonly model: DevtoolsModel; readonly sourceId: string | undefined }) {
  const sources = [...model.sources.values()].filter((s) => sourceId === undefined || s.info.id === sourceId);
  const stats = model.statsOf(sourceId);
  const now = Date.now();
  const points = sumPoints(sources.map((s) => s.series.points(now, 60)));
  const pending = sources.reduce((sum, s) => sum + s.backgroundPending, 0);
  const handlers = sources
    .flatMap((s) => [...s.subscriptions.values()].map((view) => ({ view, source: s.info.label })))
    .filter(({ view }) => view.delivered + view.failed > 0)
    .sort((a, b) => estimatedTotalMs(b.view) - estimatedTotalMs(a.view))
    .slice(0, 8);
  const byType = new Map<string, number>();
  for (const s of sources) for (const entry of s.events) byType.set(entry.event.type, (byType.get(entry.event.type) ?? 0) + 1);
  const types = [...byType.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
  const maxType = Math.max(1, ...types.map(([, n]) => n));
  const lastMinute = points.reduce((sum, p) => sum + p.published, 0);

  return (
    <div className="ewd-scroll" data-view="stats">
      <div className="ewd-grid ewd-section" data-testid="stats-cards">
        <Card value={stats.eventsPublished} label="events published" />
        <Card value={stats.handlersInvoked} label="handlers invoked" />
        <Card value={stats.handlerErrors} label="handler errors" tone={stats.handlerErrors > 0 ? 'var(--err)' : undefined} />
        <Card value={stats.backgroundTasksCreated} label="background tasks" />
        <Card value={stats.backgroundTasksCompleted} label="background completed" />
        <Card value={pending} label="background pending" />
        <Card value={Math.round((lastMinute / 60) * 10) / 10} label="events/s (1 min avg)" />
      </div>
      <div className="ewd-section" style={{ display: 'grid', gap: 8 }}>
        <RateChart title="Events published / s" points={points} lines={[{ key: 'published', label: 'published', color: '#7aa2ff' }]} />
        <RateChart
          title="Handlers / s"
          points={points}
          lines={[
            { key: 'invoked', label: 'invoked', color: '#3ecf8e' },
            { key: 'errors', label: 'errors', color: '#ff6b6b' },
          ]}
        />
        <RateChart title="Background tasks / s" points={points} lines={[{ key: 'background', label: 'started', color: '#c792ea' }]} />
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))', gap: 12 }}>
        <div className="ewd-section">
          <h3>Events by type</h3>
          <div className="ewd-card">
            {types.length === 0 && <div className="ewd-empty">No events yet</div>}
            {types.map(([type, count]) => (
              <div key={type} style={{ marginBottom: 6 }}>
                <div style={{ display: 'flex', justifyContent: 'space-between' }}>
                  <span>{type}</span>
                  <span style={{ color: 'var(--dim)' }}>{count}</span>
                </div>
                <div className="ewd-bar">
                  <div style={{ width: `${(count / maxType) * 100}%` }} />
                </div>
              </div>
            ))}
          </div>
        </div>
        <div className="ewd-section">
          <h3>Handlers by total time</h3>
          <table className="ewd-table ewd-card">
            <thead>
              <tr>
                <th>Handler</th>
                <th>On</th>
                <th>Calls</th>
                <th>Errors</th>
                <th>Avg</th>
                <th>Total</th>
              </tr>
            </thead>
            <tbody>
              {handlers.map(({ view }) => (
                <tr key={view.info.id}>
                  <td className="ewd-mono">{view.info.handlerName}</td>
                  <td>{view.info.key}</td>
                  <td>{view.delivered + view.failed}</td>
                  <td>{view.failed}</td>
                  <td>{formatMs(averageMs(view))}</td>
                  <td title={view.timed < view.delivered + view.failed ? `estimated from ${view.timed} timed deliveries` : undefined}>{formatMs(estimatedTotalMs(view))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}

function Card({ value, label, tone }: { readonly value: number; readonly label: string; readonly tone?: string | undefined }) {
  return (
    <div className="ewd-card ewd-stat" data-stat={label}>
      <b style={tone === undefined ? undefined : { color: tone }}>{value.toLocaleString('en-US')}</b>
      <span>{label}</span>
    </div>
  );
}

/** The mean duration of the timed deliveries; undefined when none was timed. */
function averageMs(view: SubscriptionView): number | undefined {
  return view.timed > 0 ? view.totalMs / view.timed : undefined;
}

/** Time spent in the handler: measured when every delivery was timed, else mean × calls. */
function estimatedTotalMs(view: SubscriptionView): number {
  return (averageMs(view) ?? 0) * (view.delivered + view.failed);
}
