import type { ReactNode } from 'react';

const REDACTED = '[redacted]';

/**
 * Pretty JSON with colours; redacted values stand out.
 * @example
 * ```tsx
 * <Json value={event.data} />
 * ```
 */
export function Json({ value }: { readonly value: unknown }) {
  return <pre className="ewd-json ewd-mono">{render(value, 0)}</pre>;
}

function render(value: unknown, depth: number): ReactNode {
  const pad = '  '.repeat(depth + 1);
  const end = '  '.repeat(depth);
  if (value === null) return <span className="b">null</span>;
  if (value === undefined) return <span className="b">undefined</span>;
  if (typeof value === 'string') return value === REDACTED ? <span className="r">{REDACTED}</span> : <span className="s">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="n">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="b">{String(value)}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return (
      <>
        {'[\n'}
        {value.map((item, i) => (
          <span key={i}>
            {pad}
            {render(item, depth + 1)}
            {i < value.length - 1 ? ',\n' : '\n'}
          </span>
        ))}
        {end}]
      </>
    );
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return (
      <>
        {'{\n'}
        {entries.map(([key, item], i) => (
          <span key={key}>
            {pad}
            <span className="k">{JSON.stringify(key)}</span>: {render(item, depth + 1)}
            {i < entries.length - 1 ? ',\n' : '\n'}
          </span>
        ))}
        {end}
        {'}'}
      </>
    );
  }
  return String(value);
}
