import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { scrollToReveal, virtualWindow } from '../lib/virtual-window';

interface Props {
  count: number;
  rowHeight: number;
  label: string;
  /** the selected row index, or -1 */
  selected: number;
  renderRow(index: number): ReactNode;
  rowKey(index: number): string;
  onSelect(index: number): void;
  /** called with the last rendered index, so the owner can load more */
  onRange?(start: number, end: number): void;
  testId?: string;
}

/**
 * A keyboard-navigable listbox that renders only the rows in view. Focus stays on the list
 * (aria-activedescendant) so arrow keys work however far the rows scroll: Up/Down, PageUp/Down,
 * Home/End move, Enter or Space opens.
 */
export function VirtualList({ count, rowHeight, label, selected, renderRow, rowKey, onSelect, onRange, testId }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const [active, setActive] = useState(selected >= 0 ? selected : 0);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  useEffect(() => { if (selected >= 0) setActive(selected); }, [selected]);
  useEffect(() => { if (active >= count) setActive(Math.max(0, count - 1)); }, [count, active]);

  const win = virtualWindow(count, rowHeight, scrollTop, height);
  useEffect(() => { onRange?.(win.start, win.end); }, [win.start, win.end, onRange]);

  const moveTo = useCallback((i: number) => {
    const el = ref.current;
    const next = Math.max(0, Math.min(count - 1, i));
    setActive(next);
    if (el) {
      const top = scrollToReveal(next, rowHeight, el.scrollTop, el.clientHeight);
      if (top !== el.scrollTop) el.scrollTop = top;
    }
  }, [count, rowHeight]);

  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(height / rowHeight) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(active + 1),
      ArrowUp: () => moveTo(active - 1),
      PageDown: () => moveTo(active + page),
      PageUp: () => moveTo(active - page),
      Home: () => moveTo(0),
      End: () => moveTo(count - 1),
      Enter: () => count > 0 && onSelect(active),
      ' ': () => count > 0 && onSelect(active),
    };
    const act = keys[e.key];
    if (act) { e.preventDefault(); act(); }
  };

  const rows: ReactNode[] = [];
  for (let i = win.start; i < win.end; i++) {
    rows.push(
      <div
        key={rowKey(i)}
        id={`row-${rowKey(i)}`}
        role="option"
        aria-selected={i === selected}
        aria-posinset={i + 1}
        aria-setsize={count}
        className={`vrow${i === active ? ' active' : ''}`}
        style={{ top: i * rowHeight, height: rowHeight }}
        onClick={() => { setActive(i); onSelect(i); }}
      >
        {renderRow(i)}
      </div>,
    );
  }
  return (
    <div
      ref={ref}
      className="vlist"
      role="listbox"
      aria-label={label}
      tabIndex={0}
      data-testid={testId}
      aria-activedescendant={count > 0 && active >= win.start && active < win.end ? `row-${rowKey(active)}` : undefined}
      onKeyDown={onKeyDown}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div style={{ height: win.totalHeight, position: 'relative' }}>{rows}</div>
    </div>
  );
}
