import type { SourceState } from '../model/sourceState.js';

interface Node {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  readonly leader: boolean;
  readonly gone: boolean;
  readonly observed: boolean;
}

const NODE_W = 180;
const NODE_H = 46;
const GAP = 24;

/**
 * The contexts as a diagram: every bus the devtools see (top row), the peers they report that
 * have no bridge of their own (bottom row), the leader marked, links per transport.
 */
export function TopologyDiagram({ sources }: { readonly sources: readonly SourceState[] }) {
  const nodeOf = (s: SourceState): Node => ({
    id: s.info.id,
    label: s.info.label,
    kind: s.info.kind,
    leader: [...s.leaders.values()].some((l) => l.isLeader),
    gone: !s.connected,
    observed: true,
  });
  const isWorker = (kind: string): boolean => kind === 'worker' || kind === 'shared-worker';
  const top: Node[] = sources.filter((s) => !isWorker(s.info.kind)).map(nodeOf);
  const bottom: Node[] = sources.filter((s) => isWorker(s.info.kind)).map(nodeOf);
  const known = new Set([...top, ...bottom].map((n) => n.id));
  const links = new Map<string, { from: string; to: string; label: string }>();
  const parent = new Map<string, string>();
  for (const s of sources) {
    for (const [peerId, p] of s.peers) {
      if (!known.has(peerId)) {
        known.add(peerId);
        bottom.push({ id: peerId, label: p.peer.name ?? peerId.slice(0, 10), kind: p.peer.kind, leader: false, gone: p.status === 'left', observed: false });
      }
      if (!parent.has(peerId)) parent.set(peerId, s.info.id);
      const key = [s.info.id, peerId].sort().join('|');
      if (p.status === 'joined' && !links.has(key)) links.set(key, { from: s.info.id, to: peerId, label: transportOf(s, peerId) });
    }
  }
  const topIndex = new Map(top.map((n, i) => [n.id, i]));
  bottom.sort((a, b) => (topIndex.get(parent.get(a.id) ?? '') ?? 1e9) - (topIndex.get(parent.get(b.id) ?? '') ?? 1e9));
  const columns = Math.max(top.length, bottom.length, 1);
  const width = columns * (NODE_W + GAP) + GAP;
  const topY = 56;
  const bottomY = 170;
  const height = bottom.length > 0 ? bottomY + NODE_H + 14 : topY + NODE_H + 14;
  const position = new Map<string, { x: number; y: number }>();
  const place = (row: Node[], y: number): void => {
    const offset = (width - row.length * (NODE_W + GAP) + GAP) / 2;
    row.forEach((node, i) => position.set(node.id, { x: offset + i * (NODE_W + GAP), y }));
  };
  place(top, topY);
  place(bottom, bottomY);

  return (
    <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} data-testid="topology-diagram" role="img" aria-label="Topology">
      <text x={GAP} y={16} fill="#8b93a7" fontSize={10}>
        {sources.length} bus{sources.length === 1 ? '' : 'es'} with devtools · {known.size - sources.length} other peer{known.size - sources.length === 1 ? '' : 's'}
      </text>
      {[...links.values()].map((link, i) => {
        const a = position.get(link.from);
        const b = position.get(link.to);
        if (a === undefined || b === undefined) return null;
        const sameRow = a.y === b.y;
        // Links within a row arc above it; links between rows go straight down.
        const [x1, y1, x2, y2] = sameRow ? [a.x + NODE_W / 2, a.y, b.x + NODE_W / 2, b.y] : [a.x + NODE_W / 2, a.y + NODE_H, b.x + NODE_W / 2, b.y];
        const d = sameRow ? `M${x1},${y1} C${x1},${y1 - 30} ${x2},${y1 - 30} ${x2},${y1}` : `M${x1},${y1} L${x2},${y2}`;
        return (
          <g key={i} data-link={link.label}>
            <path d={d} fill="none" stroke="#4d5b7a" strokeDasharray="4 3" />
            <text x={(x1 + x2) / 2 + (sameRow ? 0 : 6)} y={sameRow ? y1 - 26 : (y1 + y2) / 2} fill="#8b93a7" fontSize={10} textAnchor={sameRow ? 'middle' : 'start'}>
              <title>{link.label}</title>
              {truncate(link.label.split(':')[0] ?? link.label, 24)}
            </text>
          </g>
        );
      })}
      {[...top, ...bottom].map((node) => {
        const p = position.get(node.id)!;
        return (
          <g key={node.id} transform={`translate(${p.x},${p.y})`} opacity={node.gone ? 0.45 : 1} data-node={node.label}>
            <rect width={NODE_W} height={NODE_H} rx={8} fill="#161a23" stroke={node.leader ? '#3ecf8e' : node.observed ? '#7aa2ff' : '#2a3142'} strokeWidth={node.leader ? 2 : 1} />
            <text x={10} y={19} fill="#e6e9ef" fontSize={12} fontWeight={600}>
              {truncate(node.label, 25)}
            </text>
            <text x={10} y={35} fill="#8b93a7" fontSize={10}>
              {node.kind}
              {node.gone ? ' · gone' : ''}
            </text>
            {node.leader && (
              <text x={NODE_W - 10} y={35} fill="#3ecf8e" fontSize={10} textAnchor="end">
                ★ leader
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

function transportOf(source: SourceState, peerId: string): string {
  for (const [name, t] of source.transports) if (t.peers.has(peerId)) return name;
  return source.peers.get(peerId)?.peer.kind ?? 'peer';
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
