import type { DevtoolsModel } from '../model/devtoolsModel.js';
import type { SourceState } from '../model/sourceState.js';
import { TopologyDiagram } from './TopologyDiagram.js';

/**
 * Who takes part: tabs, workers, remote peers and the leader; stores with their positions,
 * projections with their lag, transports, dead letters with replay, and the store's history.
 */
export function TopologyView({ model, sourceId }: { readonly model: DevtoolsModel; readonly sourceId: string | undefined }) {
  const sources = [...model.sources.values()];
  const shown = sources.filter((s) => sourceId === undefined || s.info.id === sourceId);
  return (
    <div className="ewd-scroll ewd-topo" data-view="topology">
      <div className="ewd-section">
        <h3>Contexts</h3>
        <div className="ewd-card">
          <TopologyDiagram sources={sources} />
        </div>
      </div>
      {shown.map((source) => (
        <SourceTopology key={source.info.id} model={model} source={source} />
      ))}
    </div>
  );
}

function SourceTopology({ model, source }: { readonly model: DevtoolsModel; readonly source: SourceState }) {
  const live = model.client.mode === 'live' && source.connected;
  const storePosition = Math.max(0, ...[...source.stores.values()].map((s) => s.position));
  return (
    <div className="ewd-section" data-source-topology={source.info.label}>
      <h3>
        {source.info.label} <span className="ewd-badge">{source.info.kind}</span> {!source.connected && <span className="ewd-badge warn">gone</span>}
      </h3>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(260px, 1fr))', gap: 8 }}>
        <div className="ewd-card">
          <b>Stores</b>
          {source.stores.size === 0 && <div style={{ color: 'var(--dim)' }}>no store reported</div>}
          {[...source.stores.entries()].map(([name, store]) => (
            <dl key={name} className="ewd-kv" data-store={name}>
              <dt>store</dt>
              <dd className="ewd-mono">{name}</dd>
              <dt>position</dt>
              <dd>{store.position}</dd>
              <dt>appended here</dt>
              <dd>{store.appended}</dd>
              <dt>last stream</dt>
              <dd className="ewd-mono">{store.lastStream}</dd>
            </dl>
          ))}
        </div>
        <div className="ewd-card">
          <b>Projections</b>
          {source.projections.size === 0 && <div style={{ color: 'var(--dim)' }}>no projection reported</div>}
          {[...source.projections.entries()].map(([name, projection]) => {
            const lag = projection.lag ?? Math.max(0, storePosition - projection.position);
            return (
              <div key={name} style={{ margin: '6px 0' }} data-projection={name}>
                <div style={{ display: 'flex', justifyContent: 'space-between' }}>
                  <span className="ewd-mono">{name}</span>
                  <span>
                    @{projection.position} {lag === 0 ? <span className="ewd-badge ok">caught up</span> : <span className="ewd-badge warn">lag {lag}</span>}
                  </span>
                </div>
                <div className="ewd-bar">
                  <div style={{ width: `${storePosition === 0 ? 100 : Math.min(100, (projection.position / storePosition) * 100)}%`, background: lag === 0 ? 'var(--ok)' : 'var(--warn)' }} />
                </div>
              </div>
            );
          })}
        </div>
        <div className="ewd-card">
          <b>Transports & leader</b>
          {source.transports.size === 0 && source.leaders.size === 0 && <div style={{ color: 'var(--dim)' }}>local only</div>}
          {[...source.transports.entries()].map(([name, t]) => (
            <div key={name} style={{ display: 'flex', justifyContent: 'space-between' }}>
              <span className="ewd-mono">{name}</span>
              <span>
                ↑{t.out} ↓{t.in} · {t.peers.size} peer{t.peers.size === 1 ? '' : 's'}
              </span>
            </div>
          ))}
          {[...source.leaders.values()].map((leader) => (
            <div key={leader.election} style={{ display: 'flex', justifyContent: 'space-between' }}>
              <span>election “{leader.election}”</span>
              {leader.isLeader ? <span className="ewd-badge ok">leader ★</span> : <span className="ewd-badge">follower{leader.leaderId ? ` of ${leader.leaderId.slice(0, 8)}` : ''}</span>}
            </div>
          ))}
        </div>
      </div>
      <div className="ewd-card" style={{ marginTop: 8 }}>
        <b>Dead letters</b> <span className="ewd-badge">{source.deadLetters.length}</span>
        {source.deadLetters.length > 0 && (
          <table className="ewd-table" data-testid="dead-letters">
            <thead>
              <tr>
                <th>Event</th>
                <th>Consumer</th>
                <th>Attempts</th>
                <th>Error</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {source.deadLetters.slice(-50).map((letter, i) => (
                <tr key={`${letter.eventId}-${i}`}>
                  <td className="ewd-mono">{model.entry(source.info.id, letter.eventId)?.event.type ?? letter.eventId}</td>
                  <td className="ewd-mono">{letter.consumer}</td>
                  <td>{letter.attempts}</td>
                  <td className="ewd-error">{letter.error.message}</td>
                  <td>{live && <button onClick={() => model.replayDeadLetter(source.info.id, letter.eventId, letter.consumer)}>Replay</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {source.rejected.length > 0 && (
          <div style={{ marginTop: 6 }}>
            <b>Rejected input</b> <span className="ewd-badge err">{source.rejected.length}</span>
            {source.rejected.slice(-5).map((r, i) => (
              <div key={i} className="ewd-error ewd-mono">
                {r.source}: {r.error.message}
              </div>
            ))}
          </div>
        )}
      </div>
      <StoreHistory model={model} source={source} live={live} />
    </div>
  );
}

function StoreHistory({ model, source, live }: { readonly model: DevtoolsModel; readonly source: SourceState; readonly live: boolean }) {
  if (!live) return null;
  const page = source.storeHistory;
  const first = page[0]?.position;
  const last = page.at(-1)?.position;
  return (
    <div className="ewd-card" style={{ marginTop: 8 }}>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <b>Event store history</b>
        <span style={{ color: 'var(--dim)' }}>{source.storeLastPosition === undefined ? 'page through everything the store holds, not only what is in memory' : `positions ${first ?? '–'}…${last ?? '–'} of ${source.storeLastPosition}`}</span>
        <span className="ewd-spacer" />
        <button onClick={() => model.readHistory(source.info.id, 0)}>First page</button>
        <button disabled={first === undefined || first <= 0} onClick={() => model.readHistory(source.info.id, Math.max(0, (first ?? 0) - 100))}>
          ‹ Older
        </button>
        <button disabled={last === undefined} onClick={() => model.readHistory(source.info.id, (last ?? 0) + 1)}>
          Newer ›
        </button>
      </div>
      {page.length > 0 && (
        <table className="ewd-table" data-testid="store-history">
          <thead>
            <tr>
              <th>Pos</th>
              <th>Stream</th>
              <th>Version</th>
              <th>Type</th>
              <th>Occurred</th>
            </tr>
          </thead>
          <tbody>
            {page.map((stored) => (
              <tr key={stored.position}>
                <td>{stored.position}</td>
                <td className="ewd-mono">{stored.streamId}</td>
                <td>{stored.version}</td>
                <td>{stored.event.type}</td>
                <td className="ewd-mono">{stored.event.occurredAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
