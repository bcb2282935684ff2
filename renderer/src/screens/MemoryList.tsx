import { useCallback, useEffect, useRef, useState } from 'react';
import type { Band, MemoryType } from '../../../contracts/types';
import { BandBadge } from '../components/BandBadge';
import { VirtualList } from '../components/VirtualList';
import { BANDS } from '../lib/bands';
import { dateInputToIso, formatDay, formatWhen } from '../lib/format';
import { plainPreview } from '../lib/markdown';
import { MEMORY_TYPES, typeLabel } from '../lib/memory-types';
import { parseSnippet } from '../lib/snippet';
import { SEARCH_LIMIT, useMemories, type Filters } from '../stores/memories';
import { spaceById, useSpaces } from '../stores/spaces';
import { useUndo } from '../stores/undo';

export const ROW_HEIGHT = 62;
const SEARCH_DELAY_MS = 120;
const TEXT_FILTER_DELAY_MS = 350;

function Snippet({ text }: { text: string }) {
  return <>{parseSnippet(text).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</>;
}

function FiltersBar() {
  const filters = useMemories((s) => s.filters);
  const [tag, setTag] = useState(filters.tag ?? '');
  const [person, setPerson] = useState(filters.person ?? '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const apply = (patch: Partial<Filters>) => {
    const next = { ...useMemories.getState().filters, ...patch };
    for (const k of Object.keys(next) as (keyof Filters)[]) if (!next[k]) delete next[k];
    useMemories.getState().setFilters(next);
  };
  // typing a tag or a person waits for a pause before listing again
  useEffect(() => {
    const t = setTimeout(() => {
      const f = useMemories.getState().filters;
      if ((f.tag ?? '') !== tag.trim() || (f.person ?? '') !== person.trim()) apply({ tag: tag.trim() || undefined, person: person.trim() || undefined });
    }, TEXT_FILTER_DELAY_MS);
    return () => clearTimeout(t);
  }, [tag, person]);
  const active = Object.keys(filters).length > 0;
  // open while filters are set, and as the person left it: clearing them does not fold it away
  const [open, setOpen] = useState(active);
  useEffect(() => { if (active) setOpen(true); }, [active]);
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Filters{active ? ` (${Object.keys(filters).length})` : ''}</summary>
      <div className="filters" role="group" aria-label="Filters">
        <label>Type
          <select aria-label="Filter by type" value={filters.type ?? ''} onChange={(e) => apply({ type: (e.target.value || undefined) as MemoryType | undefined })}>
            <option value="">Any type</option>
            {MEMORY_TYPES.map((t) => <option key={t.type} value={t.type}>{t.label}</option>)}
          </select>
        </label>
        <label>Band
          <select aria-label="Filter by band" value={filters.band ?? ''} onChange={(e) => apply({ band: (e.target.value || undefined) as Band | undefined })}>
            <option value="">Any band</option>
            {BANDS.map((b) => <option key={b} value={b}>{b}</option>)}
          </select>
        </label>
        <label>Tag
          <input aria-label="Filter by tag" type="text" value={tag} onChange={(e) => setTag(e.target.value)} placeholder="e.g. school" />
        </label>
        <label>Person
          <input aria-label="Filter by person" type="text" value={person} onChange={(e) => setPerson(e.target.value)} placeholder="e.g. Grandma" />
        </label>
        <label>From
          <input aria-label="Filter by from date" type="date" value={from} onChange={(e) => { setFrom(e.target.value); apply({ from: dateInputToIso(e.target.value) }); }} />
        </label>
        <label>To
          <input aria-label="Filter by to date" type="date" value={to} onChange={(e) => { setTo(e.target.value); apply({ to: e.target.value ? `${e.target.value}T23:59:59.999Z` : undefined }); }} />
        </label>
      </div>
      {active && (
        <button className="btn link" type="button" onClick={() => { setTag(''); setPerson(''); setFrom(''); setTo(''); useMemories.getState().setFilters({}); }}>
          Clear filters
        </button>
      )}
    </details>
  );
}

export function MemoryList({ onNew }: { onNew(): void }) {
  const m = useMemories();
  const spaces = useSpaces((s) => s.spaces);
  const searchRef = useRef<HTMLInputElement>(null);

  // instant search: a short pause after typing, and every answer for an older query is dropped
  useEffect(() => {
    if (!m.query.trim()) return;
    const t = setTimeout(() => void useMemories.getState().search(), SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [m.query]);

  // "/" focuses search from anywhere outside a text field: hooks/useShortcuts.ts

  const onRange = useCallback((_start: number, end: number) => {
    const s = useMemories.getState();
    if (s.hits === null && end + 50 > s.rows.length) void s.ensureLoaded(end + 50);
  }, []);

  const searching = m.hits !== null;
  const count = searching ? m.hits!.length : m.total;
  const spaceName = (id: string) => spaceById(spaces, id)?.name ?? id;
  const actions = useUndo((s) => s.actions);
  const pendingWord = (id: string) => {
    const kinds = new Set(actions.filter((a) => a.memory_id === id).map((a) => a.kind));
    return [kinds.has('delete') && 'Deleting', kinds.has('share') && 'Sharing', kinds.has('set_band') && 'Band change'].filter(Boolean).join(' · ');
  };
  const pending = (id: string) => { const w = pendingWord(id); return w ? <span className="row-pending">{w}</span> : null; };
  const selectedIndex = searching ? m.hits!.findIndex((h) => h.memory_id === m.selectedId) : m.rows.findIndex((r) => r.memory_id === m.selectedId);

  const renderRow = (i: number) => {
    if (searching) {
      const h = m.hits![i];
      return (
        <>
          <div className="title"><BandBadge band={h.band} /> {h.title || <em>(untitled)</em>}{pending(h.memory_id)}</div>
          <div className="snippet">{h.redacted && !h.snippet ? <em className="muted">Content hidden ({h.band})</em> : <Snippet text={h.snippet} />}</div>
          <div className="meta">{typeLabel(h.type)} · {spaceName(h.space_id)} · Updated {formatWhen(h.updated_at)}</div>
        </>
      );
    }
    const r = m.rows[i];
    if (!r) return <div className="title">Loading…</div>;
    return (
      <>
        <div className="title"><BandBadge band={r.band} /> {r.redacted && !r.title ? <em>Hidden {r.band} memory</em> : r.title || <em>(untitled)</em>}{pending(r.memory_id)}</div>
        <div className="snippet muted">{r.redacted && !r.body ? 'Content hidden until opened' : plainPreview(r.body)}</div>
        {/* the list is sorted by the update time: that is the date it shows, labelled; the day it happened follows */}
        <div className="meta">{typeLabel(r.type)} · {spaceName(r.space_id)} · Updated {formatWhen(r.updated_at)}{r.occurred_at ? ` · Happened ${formatDay(r.occurred_at)}` : ''}{r.tags.length ? ` · #${r.tags.join(' #')}` : ''}</div>
      </>
    );
  };
  const rowKey = (i: number) => (searching ? `h-${m.hits![i].memory_id}` : m.rows[i]?.memory_id ?? `p-${i}`);

  return (
    <section className="list-pane" aria-label="Memories">
      <div className="list-tools">
        <div className="row">
          <label className="grow">
            <span className="sr-only">Search memories</span>
            <input
              ref={searchRef}
              type="search"
              value={m.query}
              placeholder="Search memories  ( / )"
              onChange={(e) => m.setQuery(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowDown') { e.preventDefault(); document.querySelector<HTMLElement>('[data-testid="memory-list"]')?.focus(); }
                if (e.key === 'Escape') { e.preventDefault(); if (m.query) m.setQuery(''); else e.currentTarget.blur(); }
              }}
              style={{ width: '100%' }}
              data-testid="search"
            />
          </label>
          <button className="btn primary" type="button" onClick={onNew}>+ New memory</button>
        </div>
        <FiltersBar />
      </div>
      <div className="list-status" role="status" aria-live="polite" data-testid="list-status">
        {searching
          ? (m.searching ? 'Searching…' : `${count >= SEARCH_LIMIT ? `${SEARCH_LIMIT}+ results (the best ${SEARCH_LIMIT} shown)` : `${count} result${count === 1 ? '' : 's'}`} for “${m.query.trim()}”`)
          : m.loading && m.rows.length === 0 ? 'Loading…' : `${count.toLocaleString()} memor${count === 1 ? 'y' : 'ies'}`}
        {searching && (m.filters.tag || m.filters.person || m.filters.from || m.filters.to) && (
          <span> · search does not apply the tag, person and date choices yet (type and band it does)</span>
        )}
        {m.error && <span className="error"> · {m.error}</span>}
      </div>
      {count === 0 && !m.loading && !m.searching
        ? (
          <div className="empty" data-testid="list-empty">
            {searching
              ? <p>Nothing matches “{m.query.trim()}”. Search looks in the titles, text, tags, people and places of the memories you can read{m.spaceId ? ' in this space' : ''}; a Red memory you are not a recipient of is not searched.</p>
              : Object.keys(m.filters).length
                ? <p>No memory matches what the panel above asks for.</p>
                : <><p>No memories {m.spaceId ? `in ${spaceName(m.spaceId)} ` : ''}yet.</p><p>A memory can be a moment, a fact (an allergy, the wifi), a how-to or a short-lived working note. Press “+ New memory” or N.</p></>}
          </div>
        )
        : (
          <VirtualList
            count={count}
            rowHeight={ROW_HEIGHT}
            label={searching ? 'Search results' : 'Memory list'}
            selected={selectedIndex}
            renderRow={renderRow}
            rowKey={rowKey}
            onSelect={(i) => {
              const id = searching ? m.hits![i]?.memory_id : m.rows[i]?.memory_id;
              if (id) m.select(id);
            }}
            onRange={onRange}
            testId="memory-list"
          />
        )}
    </section>
  );
}
