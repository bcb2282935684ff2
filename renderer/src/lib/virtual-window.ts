/**
 * Which rows of a fixed-height list to render. Only the visible rows plus an overscan are in the
 * DOM, so 100k rows cost what 30 do; the spacer's height keeps the scrollbar true to the total.
 */
export interface VirtualWindow {
  /** first rendered row index (inclusive) */
  start: number;
  /** last rendered row index (exclusive) */
  end: number;
  /** px from the top of the content to the first rendered row */
  offset: number;
  /** px height of all rows */
  totalHeight: number;
}

export function virtualWindow(count: number, rowHeight: number, scrollTop: number, viewportHeight: number, overscan = 6): VirtualWindow {
  const totalHeight = Math.max(0, count * rowHeight);
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, totalHeight: 0 };
  const maxTop = Math.max(0, totalHeight - viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), maxTop);
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil(viewportHeight / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end, offset: start * rowHeight, totalHeight };
}

/** The scrollTop that brings row `index` into view (unchanged if it is already visible). */
export function scrollToReveal(index: number, rowHeight: number, scrollTop: number, viewportHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return bottom - viewportHeight;
  return scrollTop;
}
