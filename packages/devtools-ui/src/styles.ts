/** The devtools' stylesheet: scoped under `.ewd`, so it never touches the host page. */
export const devtoolsCss = `
.ewd { --bg:#0f1117; --bg2:#161a23; --bg3:#1d2230; --line:#2a3142; --fg:#e6e9ef; --dim:#8b93a7; --accent:#7aa2ff;
  --ok:#3ecf8e; --err:#ff6b6b; --warn:#ffb454; --wild:#c792ea; --pat:#4fd1c5;
  font: 12px/1.45 ui-sans-serif, system-ui, -apple-system, 'Segoe UI', sans-serif; color: var(--fg); background: var(--bg);
  display:flex; flex-direction:column; height:100%; min-height:0; box-sizing:border-box; }
.ewd *, .ewd *::before, .ewd *::after { box-sizing: inherit; }
.ewd button { font: inherit; color: var(--fg); background: var(--bg3); border: 1px solid var(--line); border-radius: 6px; padding: 3px 9px; cursor: pointer; }
.ewd button:hover { border-color: var(--accent); }
.ewd button.ewd-primary { background: var(--accent); color: #0b1020; border-color: var(--accent); font-weight: 600; }
.ewd button.ewd-danger { border-color: #5a2a2a; color: var(--err); }
.ewd input, .ewd select { font: inherit; color: var(--fg); background: var(--bg2); border: 1px solid var(--line); border-radius: 6px; padding: 3px 8px; }
.ewd code, .ewd .ewd-mono { font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace; font-size: 11.5px; }
.ewd-header { display:flex; align-items:center; gap:10px; padding:6px 10px; background: var(--bg2); border-bottom:1px solid var(--line); flex-wrap: wrap; }
.ewd-logo { font-weight:700; letter-spacing:.2px; display:flex; align-items:center; gap:6px; }
.ewd-logo i { width:10px; height:10px; border-radius:50%; background: conic-gradient(var(--accent), var(--wild), var(--ok), var(--accent)); display:inline-block; }
.ewd-tabs { display:flex; gap:2px; }
.ewd-tab { background: transparent !important; border: none !important; border-bottom: 2px solid transparent !important; border-radius:0 !important; color: var(--dim) !important; padding: 6px 10px !important; }
.ewd-tab[aria-selected=true] { color: var(--fg) !important; border-bottom-color: var(--accent) !important; }
.ewd-tab .ewd-count { margin-left:5px; color: var(--dim); font-size: 10.5px; }
.ewd-spacer { flex:1; }
.ewd-live { display:inline-flex; align-items:center; gap:5px; color: var(--dim); }
.ewd-live::before { content:''; width:7px; height:7px; border-radius:50%; background: var(--ok); box-shadow: 0 0 6px var(--ok); }
.ewd-live.ewd-paused::before { background: var(--warn); box-shadow:none; }
.ewd-live.ewd-static::before { background: var(--dim); box-shadow:none; }
.ewd-body { flex:1; min-height:0; display:flex; overflow:hidden; }
.ewd-scroll { overflow:auto; flex:1; min-height:0; padding: 10px 12px; }
.ewd-section { margin: 0 0 14px; }
.ewd-section h3 { font-size: 11px; text-transform: uppercase; letter-spacing: .08em; color: var(--dim); margin: 0 0 6px; font-weight:600; display:flex; gap:8px; align-items:center; }
.ewd-card { background: var(--bg2); border:1px solid var(--line); border-radius: 8px; padding: 8px 10px; }
.ewd-grid { display:grid; gap:8px; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); }
.ewd-stat b { display:block; font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; }
.ewd-stat span { color: var(--dim); font-size: 11px; }
.ewd-table { width:100%; border-collapse: collapse; }
.ewd-table th { text-align:left; color: var(--dim); font-weight:500; font-size: 11px; padding: 4px 6px; border-bottom: 1px solid var(--line); }
.ewd-table td { padding: 4px 6px; border-bottom: 1px solid #1f2533; vertical-align: top; font-variant-numeric: tabular-nums; }
.ewd-badge { display:inline-block; padding: 0 6px; border-radius: 10px; font-size: 10.5px; line-height: 17px; background: var(--bg3); color: var(--dim); border:1px solid var(--line); white-space:nowrap; }
.ewd-badge.ok { color: var(--ok); border-color: #1f5a43; }
.ewd-badge.err { color: var(--err); border-color: #5a2a2a; }
.ewd-badge.wild { color: var(--wild); border-color: #4d3563; }
.ewd-badge.pat { color: var(--pat); border-color: #235552; }
.ewd-badge.warn { color: var(--warn); border-color: #5a4520; }
.ewd-badge.accent { color: var(--accent); border-color: #2d3f6b; }
.ewd-removed { opacity: .45; text-decoration: line-through; }
.ewd-fresh { animation: ewd-flash 1.6s ease-out; }
@keyframes ewd-flash { from { background: rgba(122,162,255,.25); } to { background: transparent; } }
.ewd-toolbar { display:flex; gap:6px; align-items:center; padding: 6px 10px; border-bottom:1px solid var(--line); background: var(--bg); flex-wrap: wrap; }
.ewd-toolbar input[type=search] { width: 220px; }
.ewd-flow { display:flex; flex:1; min-height:0; }
.ewd-list { flex: 1 1 55%; min-width: 0; display:flex; flex-direction:column; border-right:1px solid var(--line); }
.ewd-detail { flex: 1 1 45%; min-width: 0; overflow:auto; padding: 10px 12px; }
.ewd-vlist { flex:1; min-height:0; overflow-y:auto; position:relative; }
.ewd-row { position:absolute; left:0; right:0; display:grid; grid-template-columns: 84px minmax(120px,1.4fr) minmax(80px,1fr) 1.2fr 64px; gap: 8px; align-items:center; padding: 0 10px; cursor: pointer; border-bottom: 1px solid #1a1f2b; white-space: nowrap; }
.ewd-row:hover { background: #1a2030; }
.ewd-row.ewd-gap { cursor: default; font-style: italic; background: repeating-linear-gradient(135deg, transparent 0 6px, #161b26 6px 12px); }
.ewd-row.selected { background: #22305a; }
.ewd-row.failed { box-shadow: inset 3px 0 0 var(--err); }
.ewd-row > * { overflow:hidden; text-overflow: ellipsis; }
.ewd-time { color: var(--dim); font-variant-numeric: tabular-nums; }
.ewd-type { font-weight: 600; }
.ewd-dots { display:flex; gap:3px; align-items:center; }
.ewd-dot { width: 8px; height: 8px; border-radius: 2px; background: var(--ok); flex: none; }
.ewd-dot.failed { background: var(--err); }
.ewd-dot.wild { background: var(--wild); }
.ewd-dot.wild.failed { background: var(--err); }
.ewd-listhead { display:grid; grid-template-columns: 84px minmax(120px,1.4fr) minmax(80px,1fr) 1.2fr 64px; gap:8px; padding: 4px 10px; color: var(--dim); font-size: 11px; border-bottom:1px solid var(--line); }
.ewd-empty { color: var(--dim); padding: 24px; text-align:center; }
.ewd-json { background: var(--bg2); border:1px solid var(--line); border-radius: 6px; padding: 8px; margin: 0; overflow:auto; max-height: 260px; white-space: pre; }
.ewd-json .k { color: #9cdcfe; } .ewd-json .s { color: #ce9178; } .ewd-json .n { color: #b5cea8; } .ewd-json .b { color: #569cd6; } .ewd-json .r { color: var(--warn); font-style: italic; }
.ewd-diagram { display:flex; align-items:stretch; gap: 0; margin: 6px 0 12px; }
.ewd-node { background: var(--bg2); border:1px solid var(--line); border-radius: 8px; padding: 6px 8px; min-width: 0; }
.ewd-node small { display:block; color: var(--dim); font-size: 10.5px; }
.ewd-arrow { align-self:center; color: var(--dim); padding: 0 6px; font-size: 16px; }
.ewd-handlers { display:flex; flex-direction:column; gap:4px; }
.ewd-handler { display:flex; gap:10px; align-items:center; justify-content:space-between; border-left: 3px solid var(--ok); white-space: nowrap; }
.ewd-handler > span:first-child { overflow:hidden; text-overflow: ellipsis; flex: 1; min-width: 0; }
.ewd-handler > span:last-child { flex: none; }
.ewd-handlers { flex: 1 1 260px; min-width: 250px; }
.ewd-handler.failed { border-left-color: var(--err); }
.ewd-chain { display:flex; flex-wrap:wrap; gap:4px; align-items:center; }
.ewd-chain button { padding: 1px 7px; font-size: 11px; }
.ewd-chain .current { border-color: var(--accent); color: var(--accent); }
.ewd-error { color: var(--err); white-space: pre-wrap; }
.ewd-notices { position:absolute; right: 12px; bottom: 12px; display:flex; flex-direction:column; gap:6px; z-index: 5; }
.ewd-notice { background: var(--bg3); border:1px solid var(--line); border-left: 3px solid var(--ok); padding: 6px 10px; border-radius: 6px; }
.ewd-notice.err { border-left-color: var(--err); }
.ewd-chart { width: 100%; height: 90px; display:block; }
.ewd-legend { display:flex; gap: 12px; color: var(--dim); font-size: 11px; }
.ewd-legend i { display:inline-block; width:10px; height:3px; margin-right:4px; vertical-align: middle; }
.ewd-bar { height: 6px; border-radius: 3px; background: var(--bg3); overflow:hidden; }
.ewd-bar > div { height:100%; background: var(--accent); }
.ewd-topo svg { max-width: 100%; height: auto; display:block; margin: 0 auto; }
.ewd-kv { display:grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
.ewd-kv dt { color: var(--dim); } .ewd-kv dd { margin: 0; overflow-wrap:anywhere; }
.ewd-sources { display:flex; gap:6px; align-items:center; }
`;
