import { useRef, useState, type ReactNode } from 'react';
import type { DevtoolsModel } from './model/devtoolsModel.js';
import { devtoolsCss } from './styles.js';
import { useDevtoolsModel } from './useDevtoolsModel.js';
import { FlowView } from './views/FlowView.js';
import { StatsView } from './views/StatsView.js';
import { SubscriptionsView } from './views/SubscriptionsView.js';
import { TopologyView } from './views/TopologyView.js';

/** The views of the devtools. */
export type DevtoolsView = 'flow' | 'subscriptions' | 'stats' | 'topology';

/** Props of {@link DevtoolsPanel}. */
export interface DevtoolsPanelProps {
  readonly model: DevtoolsModel;
  /** @default 'flow' */
  readonly initialView?: DevtoolsView;
  /** Extra controls at the right of the header (dock, close). */
  readonly actions?: ReactNode;
  /** Opens a session file; without it the Import button is hidden. */
  readonly onImport?: (file: File) => void;
  /** The source shown, when the host controls it (the standalone app's sidebar); `undefined` for all. */
  readonly sourceId?: string | undefined;
  readonly onSourceChange?: (sourceId: string | undefined) => void;
}

/**
 * The devtools: a header with the sources, the views, pause / clear / export / import, and the
 * selected view. Used by the embedded `<EventwireDevtools/>` and by the standalone app.
 *
 * @example
 * ```tsx
 * <DevtoolsPanel model={new DevtoolsModel(createLiveClient(broadcastDevtoolsChannel()))} />
 * ```
 */
export function DevtoolsPanel(props: DevtoolsPanelProps) {
  const { model, initialView = 'flow', actions, onImport } = props;
  const version = useDevtoolsModel(model);
  const [view, setView] = useState<DevtoolsView>(initialView);
  const [ownSourceId, setOwnSourceId] = useState<string | undefined>(undefined);
  const controlled = props.onSourceChange !== undefined;
  const sourceId = controlled ? props.sourceId : ownSourceId;
  const setSourceId = controlled ? props.onSourceChange! : setOwnSourceId;
  const fileInput = useRef<HTMLInputElement>(null);
  const sources = [...model.sources.values()];
  const scope = sourceId !== undefined && model.sources.has(sourceId) ? sourceId : undefined;
  const scoped = sources.filter((s) => scope === undefined || s.info.id === scope);
  const paused = scoped.length > 0 && scoped.every((s) => s.paused);
  const live = model.client.mode === 'live';
  const eventCount = scope === undefined ? model.events.length : (model.sources.get(scope)?.events.length ?? 0);
  const subscriptionCount = scoped.reduce((n, s) => n + [...s.subscriptions.values()].filter((v) => v.active).length, 0);

  const tabs: { id: DevtoolsView; label: string; count?: number }[] = [
    { id: 'flow', label: 'Event flow', count: eventCount },
    { id: 'subscriptions', label: 'Subscriptions', count: subscriptionCount },
    { id: 'stats', label: 'Stats' },
    { id: 'topology', label: 'Topology', count: sources.length },
  ];

  return (
    <div className="ewd" data-testid="eventwire-devtools">
      <style>{devtoolsCss}</style>
      <div className="ewd-header">
        <span className="ewd-logo">
          <i /> eventwire
        </span>
        <span className={`ewd-live ${live ? (paused ? 'ewd-paused' : '') : 'ewd-static'}`} data-testid="status">
          {live ? (paused ? 'paused' : 'live') : 'session file'}
        </span>
        <div className="ewd-tabs" role="tablist">
          {tabs.map((tab) => (
            <button key={tab.id} role="tab" className="ewd-tab" aria-selected={view === tab.id} onClick={() => setView(tab.id)} data-tab={tab.id}>
              {tab.label}
              {tab.count !== undefined && <span className="ewd-count">{tab.count}</span>}
            </button>
          ))}
        </div>
        <span className="ewd-spacer" />
        <div className="ewd-sources">
          <select value={scope ?? ''} onChange={(e) => setSourceId(e.target.value === '' ? undefined : e.target.value)} aria-label="Source" data-testid="source-select">
            <option value="">All sources ({sources.length})</option>
            {sources.map((s) => (
              <option key={s.info.id} value={s.info.id}>
                {s.connected ? '● ' : '○ '}
                {s.info.label} · {s.info.busName}
              </option>
            ))}
          </select>
          {live && (
            <button onClick={() => model.setPaused(scope, !paused)} title="Stop or resume recording in the bridges" data-testid="pause">
              {paused ? '▶ Resume' : '❚❚ Pause'}
            </button>
          )}
          <button onClick={() => model.clear()} title="Forget the events shown">
            Clear
          </button>
          <button onClick={() => void download(model)} title="Save this session as a file (already redacted)" data-testid="export">
            Export
          </button>
          {onImport !== undefined && (
            <>
              <button onClick={() => fileInput.current?.click()} title="Open a session file">
                Import
              </button>
              <input
                ref={fileInput}
                type="file"
                accept="application/json,.json"
                hidden
                data-testid="import"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file !== undefined) onImport(file);
                  e.target.value = '';
                }}
              />
            </>
          )}
          {actions}
        </div>
      </div>
      <div className="ewd-body" style={{ position: 'relative' }}>
        {view === 'flow' && <FlowView model={model} version={version} sourceId={scope} />}
        {view === 'subscriptions' && <SubscriptionsView model={model} sourceId={scope} />}
        {view === 'stats' && <StatsView model={model} sourceId={scope} />}
        {view === 'topology' && <TopologyView model={model} sourceId={scope} />}
        <div className="ewd-notices">
          {model.notices.map((notice) => (
            <div key={notice.id} className={`ewd-notice ${notice.ok ? '' : 'err'}`}>
              {notice.text}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

async function download(model: DevtoolsModel): Promise<void> {
  const blob = new Blob([JSON.stringify(await model.exportSession())], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `eventwire-session-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
