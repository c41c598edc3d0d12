import type { RateKey, RatePoint } from '../model/rateSeries.js';

/** One line of a {@link RateChart}. */
export interface RateLine {
  readonly key: RateKey;
  readonly label: string;
  readonly color: string;
}

/**
 * A per-second rate chart in plain SVG: one line per counter, the area under the first.
 * @example
 * ```tsx
 * <RateChart points={series.points(Date.now())} lines={[{ key: 'published', label: 'published/s', color: '#7aa2ff' }]} />
 * ```
 */
export function RateChart({ points, lines, title }: { readonly points: readonly RatePoint[]; readonly lines: readonly RateLine[]; readonly title: string }) {
  const width = 600;
  const height = 90;
  const max = Math.max(1, ...points.flatMap((p) => lines.map((line) => p[line.key])));
  const x = (i: number): number => (points.length <= 1 ? 0 : (i / (points.length - 1)) * width);
  const y = (v: number): number => height - 4 - (v / max) * (height - 12);
  const path = (key: RateKey): string => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  const last = points.at(-1);
  return (
    <div className="ewd-card" data-chart={title}>
      <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 4 }}>
        <strong>{title}</strong>
        <div className="ewd-legend">
          {lines.map((line) => (
            <span key={line.key}>
              <i style={{ background: line.color }} />
              {line.label} <b style={{ color: 'var(--fg)' }}>{last?.[line.key] ?? 0}</b>
            </span>
          ))}
          <span>peak {max}/s</span>
        </div>
      </div>
      <svg className="ewd-chart" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={title}>
        {[0.25, 0.5, 0.75].map((f) => (
          <line key={f} x1={0} x2={width} y1={height * f} y2={height * f} stroke="#232a3a" strokeWidth={1} />
        ))}
        {lines[0] !== undefined && <path d={`${path(lines[0].key)} L${width},${height} L0,${height} Z`} fill={lines[0].color} opacity={0.12} />}
        {lines.map((line) => (
          <path key={line.key} d={path(line.key)} fill="none" stroke={line.color} strokeWidth={1.6} vectorEffect="non-scaling-stroke" />
        ))}
      </svg>
    </div>
  );
}
