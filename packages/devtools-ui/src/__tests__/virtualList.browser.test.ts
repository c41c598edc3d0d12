import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it, vi } from 'vitest';
import { VirtualList } from '../components/VirtualList.js';

const ROW = 20;

function mount() {
  const style = document.createElement('style');
  style.textContent = '.test-vlist .ewd-vlist { height: 200px; overflow-y: auto; position: relative; }';
  document.head.append(style);
  const host = document.createElement('div');
  host.className = 'test-vlist';
  document.body.append(host);
  const root = createRoot(host);
  const render = (count: number) =>
    root.render(
      createElement(VirtualList, {
        count,
        rowHeight: ROW,
        followTail: true,
        renderRow: (i: number, rowStyle: { top: number; height: number }) => createElement('div', { key: i, className: 'row', style: { position: 'absolute', ...rowStyle } }, `row ${i}`),
      }),
    );
  const list = () => host.querySelector<HTMLDivElement>('.ewd-vlist')!;
  const shown = () => [...host.querySelectorAll('.row')].map((row) => row.textContent);
  const unmount = () => {
    root.unmount();
    host.remove();
    style.remove();
  };
  return { render, list, shown, unmount };
}

describe('VirtualList in Chromium', () => {
  it('follows the tail as rows arrive, and stays where the user scrolled up to', async () => {
    const { render, list, shown, unmount } = mount();
    render(1000);
    await vi.waitFor(() => expect(shown()).toContain('row 999'));
    expect(list().scrollTop + list().clientHeight).toBeGreaterThanOrEqual(1000 * ROW - 1);
    expect(shown().length).toBeLessThan(40); // only the rows in view, and the overscan

    render(2000); // new rows: the view moves to the new last row
    await vi.waitFor(() => expect(shown()).toContain('row 1999'));
    expect(shown()).not.toContain('row 999');

    list().scrollTop = 100 * ROW; // the user scrolls up
    await vi.waitFor(() => expect(shown()).toContain('row 105'));
    render(3000); // more rows: the view stays where the user is
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shown()).toContain('row 105');
    expect(shown()).not.toContain('row 2999');

    list().scrollTop = 3000 * ROW; // back at the bottom: following again
    await vi.waitFor(() => expect(shown()).toContain('row 2999'));
    render(3500);
    await vi.waitFor(() => expect(shown()).toContain('row 3499'));
    unmount();
  });
});
