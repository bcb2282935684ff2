import { useCallback, useEffect, useRef, useState } from 'react';
import type { Band, MemoryType } from '../../../contracts/types';
import { BandBadge } from '../components/BandBadge';
import { VirtualList } from '../components/VirtualList';
import { BANDS } from '../lib/bands';
import { dateInputToIso, formatDay, formatWhen } from '../lib/format';
import { plainPreview } from '../lib/markdown';
import { MEMORY_TYPES, typeLabel } from '../lib/memory-types';
import { splitRanges, type TextRange } from '../lib/snippet';
import { defaultSort, isSearch, useMemories, type Filters, type SortOrder } from '../stores/memories';
import { spaceById, useSpaces } from '../stores/spaces';
import { useUndo } from '../stores/undo';

export const ROW_HEIGHT = 62;
const SEARCH_DELAY_MS = 120;
const TEXT_FILTER_DELAY_MS = 350;

/** Text with what matched in <mark>, from the core's ranges: the text stays text (no HTML is ever injected). */
function Highlighted({ text, ranges }: { text: string; ranges: readonly TextRange[] }) {
  return <>{splitRanges(text, ranges).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</>;
}

const SORTS: { value: SortOrder; label: string }[] = [
  { value: 'relevance', label: 'Best match' },
  { value: 'updated', label: 'Last updated' },
  { value: 'created', label: 'Date written' },
  { value: 'happened', label: 'When it happened' },
];

/** The order of the list: best match (with a query), last updated, written or happened, newest first. */
function SortControl() {
  const sort = useMemories((s) => s.sort);
  const query = useMemories((s) => s.query);
  return (
    <label className="sort-control">Sort
      <select aria-label="Sort by" data-testid="sort" value={sort ?? defaultSort(query)} onChange={(e) => useMemories.getState().setSort(e.target.value as SortOrder)}>
        {SORTS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </label>
  );
}

function FiltersBar() {
  const filters = useMemories((s) => s.filters);
  const [tag, setTag] = useState(filters.tag ?? '');
  const [person, setPerson] = useState(filters.person ?? '');
  const [place, setPlace] = useState(filters.place ?? '');
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
      if ((f.tag ?? '') !== tag.trim() || (f.person ?? '') !== person.trim() || (f.place ?? '') !== place.trim()) {
        apply({ tag: tag.trim() || undefined, person: person.trim() || undefined, place: place.trim() || undefined });
      }
    }, TEXT_FILTER_DELAY_MS);
    return () => clearTimeout(t);
  }, [tag, person, place]);
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
        <label>Place
          <input aria-label="Filter by place" type="text" value={place} onChange={(e) => setPlace(e.target.value)} placeholder="e.g. Lisbon" />
        </label>
        <label>Happened from
          <input aria-label="Filter by from date" type="date" value={from} onChange={(e) => { setFrom(e.target.value); apply({ from: dateInputToIso(e.target.value) }); }} />
        </label>
        <label>Happened to
          <input aria-label="Filter by to date" type="date" value={to} onChange={(e) => { setTo(e.target.value); apply({ to: e.target.value ? `${e.target.value}T23:59:59.999Z` : undefined }); }} />
        </label>
      </div>
      {active && (
        <button className="btn link" type="button" onClick={() => { setTag(''); setPerson(''); setPlace(''); setFrom(''); setTo(''); useMemories.getState().setFilters({}); }}>
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
  // (clearing the query is handled by setQuery at once)
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

  // a search (a query, or a filter or order only memory.search knows) shows its hits, never the list under it
  const searching = isSearch(m);
  const hits = m.hits ?? [];
  const count = searching ? hits.length : m.total;
  const q = m.query.trim();
  const found = m.searchCapped ? `${m.searchTotal}+` : String(m.searchTotal);
  const spaceName = (id: string) => spaceById(spaces, id)?.name ?? id;
  const actions = useUndo((s) => s.actions);
  const pendingWord = (id: string) => {
    const kinds = new Set(actions.filter((a) => a.memory_id === id).map((a) => a.kind));
    return [kinds.has('delete') && 'Deleting', kinds.has('share') && 'Sharing', kinds.has('set_band') && 'Band change'].filter(Boolean).join(' · ');
  };
  const pending = (id: string) => { const w = pendingWord(id); return w ? <span className="row-pending">{w}</span> : null; };
  const selectedIndex = searching ? hits.findIndex((h) => h.memory_id === m.selectedId) : m.rows.findIndex((r) => r.memory_id === m.selectedId);

  const renderRow = (i: number) => {
    if (searching) {
      const h = hits[i];
      if (!h) return <div className="title">Loading…</div>;
      // the date shown is the one the list is sorted by
      const sort = m.sort ?? defaultSort(m.query);
      const when = sort === 'created' ? `Written ${formatWhen(h.created_at)}` : `Updated ${formatWhen(h.updated_at)}`;
      return (
        <>
          <div className="title" data-testid="hit-title"><BandBadge band={h.band} /> {h.title ? <Highlighted text={h.title} ranges={h.highlights.title} /> : <em>{h.redacted ? `Hidden ${h.band} memory` : '(untitled)'}</em>}{pending(h.memory_id)}</div>
          <div className="snippet" data-testid="hit-snippet">{h.redacted && !h.snippet ? <em className="muted">Content hidden ({h.band})</em> : <Highlighted text={h.snippet} ranges={h.highlights.snippet} />}</div>
          <div className="meta">{typeLabel(h.type)} · {spaceName(h.space_id)} · {when}{h.occurred_at ? ` · Happened ${formatDay(h.occurred_at)}` : ''}{h.fuzzy ? ' · close match' : ''}</div>
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
  const rowKey = (i: number) => (searching ? `h-${hits[i]?.memory_id ?? i}` : m.rows[i]?.memory_id ?? `p-${i}`);

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
        <div className="row list-options">
          <FiltersBar />
          <SortControl />
        </div>
      </div>
      <div className="list-status" role="status" aria-live="polite" data-testid="list-status">
        {searching
          ? (m.searching || m.hits === null
            ? 'Searching…'
            : q
              ? `${found} result${m.searchTotal === 1 && !m.searchCapped ? '' : 's'} for “${q}”${m.searchCapped ? ` (the first ${hits.length} shown)` : ''}`
              : `${found} memor${m.searchTotal === 1 && !m.searchCapped ? 'y' : 'ies'}${m.searchCapped ? ` (the first ${hits.length} shown)` : ''}`)
          : m.loading && m.rows.length === 0 ? 'Loading…' : `${count.toLocaleString()} memor${count === 1 ? 'y' : 'ies'}`}
        {m.error && <span className="error"> · {m.error}</span>}
      </div>
      {count === 0 && !m.loading && !m.searching && !(searching && m.hits === null)
        ? (
          <div className="empty" data-testid="list-empty">
            {searching && q
              ? <p>Nothing matches “{q}”{Object.keys(m.filters).length ? ' with the filters above' : ''}. Search looks in the titles, text, tags, people and places of the memories you can read{m.spaceId ? ' in this space' : ''}; a Red memory you are not a recipient of is not searched.</p>
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
              const id = searching ? hits[i]?.memory_id : m.rows[i]?.memory_id;
              if (id) m.select(id);
            }}
            onRange={onRange}
            testId="memory-list"
          />
        )}
    </section>
  );
}
