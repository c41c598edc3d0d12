import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/** Props of {@link VirtualList}. */
export interface VirtualListProps {
  readonly count: number;
  /** Every row has this height, in pixels. */
  readonly rowHeight: number;
  readonly renderRow: (index: number, style: { top: number; height: number }) => ReactNode;
  /** Keep the last row in view while new rows arrive, unless the user scrolled up. */
  readonly followTail?: boolean;
  /** Scroll so this row is visible. */
  readonly scrollToIndex?: number | undefined;
  readonly overscan?: number;
}

/**
 * A fixed-row-height virtual list: only the rows in view (plus `overscan`) are in the DOM, so
 * 10,000 or 100,000 events render as fast as 30.
 * @example
 * ```tsx
 * <VirtualList count={events.length} rowHeight={26} renderRow={(i, style) => <Row key={i} style={style} entry={events[i]} />} />
 * ```
 */
export function VirtualList({ count, rowHeight, renderRow, followTail = false, scrollToIndex, overscan = 8 }: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    setHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  // Follows the tail without reading the layout back (scrollHeight, scrollTop after a write):
  // each read would force a synchronous layout of the whole panel, on every batch of events.
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null || !followTail || !atBottom.current) return;
    const bottom = Math.max(0, count * rowHeight - height);
    element.scrollTop = bottom;
    setScrollTop(bottom);
  }, [count, followTail, rowHeight, height]);

  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null || scrollToIndex === undefined || scrollToIndex < 0) return;
    const top = scrollToIndex * rowHeight;
    if (top < element.scrollTop || top + rowHeight > element.scrollTop + element.clientHeight) {
      element.scrollTop = Math.max(0, top - element.clientHeight / 2);
    }
  }, [scrollToIndex, rowHeight]);

  // While following the tail, the rows are the ones at the new bottom (where the layout effect
  // scrolls before paint), not the ones at the old scroll position: a row only renders when it is
  // shown (a gap row fetches its events when it renders).
  const top = followTail && atBottom.current ? Math.max(0, count * rowHeight - height) : scrollTop;
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((top + height) / rowHeight) + overscan);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) rows.push(renderRow(i, { top: i * rowHeight, height: rowHeight }));

  return (
    <div
      ref={ref}
      className="ewd-vlist"
      role="list"
      data-count={count}
      onScroll={(event) => {
        const element = event.currentTarget;
        atBottom.current = element.scrollTop + height >= count * rowHeight - rowHeight;
        setScrollTop(element.scrollTop);
      }}
    >
      <div style={{ height: count * rowHeight, position: 'relative' }}>{rows}</div>
    </div>
  );
}
