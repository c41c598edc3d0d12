import type { DevtoolsModel } from '@eventwire/devtools-ui';

/** The pages and processes the devtools can see; pick one, or all. */
export function SourceList({
  model,
  selected,
  onSelect,
  onBackToLive,
}: {
  readonly model: DevtoolsModel;
  readonly selected: string | undefined;
  readonly onSelect: (sourceId: string | undefined) => void;
  readonly onBackToLive: (() => void) | undefined;
}) {
  const sources = [...model.sources.values()];
  return (
    <aside style={{ width: 230, flex: 'none', borderRight: '1px solid var(--line)', background: 'var(--bg2)', display: 'flex', flexDirection: 'column' }} data-testid="source-list">
      <div style={{ padding: '12px 12px 6px' }}>
        <div className="ewd-logo" style={{ fontSize: 14 }}>
          <i /> eventwire devtools
        </div>
        <div style={{ color: 'var(--dim)', fontSize: 11, marginTop: 4 }}>
          {model.client.mode === 'live' ? 'Pages of this origin and processes on the relay' : 'Viewing a session file'}
        </div>
        {onBackToLive !== undefined && (
          <button style={{ marginTop: 8 }} onClick={onBackToLive}>
            ← Back to live
          </button>
        )}
      </div>
      <nav style={{ overflow: 'auto', padding: 6, display: 'flex', flexDirection: 'column', gap: 4 }}>
        <SourceButton active={selected === undefined} onClick={() => onSelect(undefined)} title={`All sources`} subtitle={`${sources.length} connected`} dot="var(--accent)" />
        {sources.map((source) => (
          <SourceButton
            key={source.info.id}
            active={selected === source.info.id}
            onClick={() => onSelect(source.info.id)}
            title={source.info.label}
            subtitle={`${source.info.kind} · ${source.info.busName} · ${source.events.length} events${source.info.url ? ` · ${pathOf(source.info.url)}` : ''}`}
            dot={source.connected ? (source.paused ? 'var(--warn)' : 'var(--ok)') : 'var(--dim)'}
            testId={source.info.label}
          />
        ))}
        {sources.length === 0 && (
          <div style={{ color: 'var(--dim)', padding: 8 }}>
            Nothing yet. Open a page that calls <code>connectDevtools(bus)</code> in this browser.
          </div>
        )}
      </nav>
    </aside>
  );
}

function SourceButton(props: { active: boolean; onClick: () => void; title: string; subtitle: string; dot: string; testId?: string }) {
  return (
    <button
      onClick={props.onClick}
      data-source-item={props.testId ?? 'all'}
      style={{ textAlign: 'left', display: 'flex', gap: 8, alignItems: 'flex-start', padding: '7px 8px', background: props.active ? '#22305a' : 'transparent', borderColor: props.active ? 'var(--accent)' : 'transparent' }}
    >
      <span style={{ width: 8, height: 8, borderRadius: '50%', background: props.dot, marginTop: 5, flex: 'none' }} />
      <span style={{ minWidth: 0 }}>
        <b style={{ display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{props.title}</b>
        <small style={{ color: 'var(--dim)', display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{props.subtitle}</small>
      </span>
    </button>
  );
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}
