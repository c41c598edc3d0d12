import type { SourceState } from '../model/sourceState.js';

interface Node {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  readonly leader: boolean;
  readonly gone: boolean;
  readonly observed: boolean;
}

const NODE_W = 150;
const NODE_H = 46;
const GAP = 24;

/**
 * The contexts as a diagram: every bus the devtools see (top row), the peers they report that
 * have no bridge of their own (bottom row), the leader marked, links per transport.
 */
export function TopologyDiagram({ sources }: { readonly sources: readonly SourceState[] }) {
  const top: Node[] = sources.map((s) => ({
    id: s.info.id,
    label: s.info.label,
    kind: s.info.kind,
    leader: [...s.leaders.values()].some((l) => l.isLeader),
    gone: !s.connected,
    observed: true,
  }));
  const known = new Set(top.map((n) => n.id));
  const bottom: Node[] = [];
  const links: { from: string; to: string; label: string }[] = [];
  for (const s of sources) {
    for (const [peerId, p] of s.peers) {
      const peerSource = sources.find((other) => other.info.id === peerId);
      if (!known.has(peerId) && peerSource === undefined) {
        known.add(peerId);
        bottom.push({ id: peerId, label: p.peer.name ?? peerId.slice(0, 10), kind: p.peer.kind, leader: false, gone: p.status === 'left', observed: false });
      }
      if (p.status === 'joined') links.push({ from: s.info.id, to: peerId, label: transportOf(s, peerId) });
    }
  }
  const columns = Math.max(top.length, bottom.length, 1);
  const width = columns * (NODE_W + GAP) + GAP;
  const height = bottom.length > 0 ? 200 : links.length > 0 ? 130 : 110;
  const position = new Map<string, { x: number; y: number }>();
  const place = (row: Node[], y: number): void => {
    const offset = (width - row.length * (NODE_W + GAP) + GAP) / 2;
    row.forEach((node, i) => position.set(node.id, { x: offset + i * (NODE_W + GAP), y }));
  };
  place(top, 30);
  place(bottom, 140);

  return (
    <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} data-testid="topology-diagram" role="img" aria-label="Topology">
      <text x={GAP} y={16} fill="#8b93a7" fontSize={10}>
        {sources.length} bus{sources.length === 1 ? '' : 'es'} with devtools · {bottom.length} other peer{bottom.length === 1 ? '' : 's'}
      </text>
      {links.map((link, i) => {
        const a = position.get(link.from);
        const b = position.get(link.to);
        if (a === undefined || b === undefined) return null;
        const [x1, y1, x2, y2] = [a.x + NODE_W / 2, a.y + NODE_H, b.x + NODE_W / 2, b.y];
        const sameRow = a.y === b.y;
        const d = sameRow ? `M${x1},${y1} C${x1},${y1 + 40} ${x2},${y1 + 40} ${x2},${y1}` : `M${x1},${y1} L${x2},${y2}`;
        return (
          <g key={i} data-link={link.label}>
            <path d={d} fill="none" stroke="#4d5b7a" strokeDasharray="4 3" />
            <text x={(x1 + x2) / 2} y={sameRow ? y1 + 44 : (y1 + y2) / 2} fill="#8b93a7" fontSize={10} textAnchor="middle">
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
              {truncate(node.label, 20)}
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
  return 'peer';
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
