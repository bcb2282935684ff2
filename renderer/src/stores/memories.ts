import { create } from 'zustand';
import type {
  Band, Memory, MemoryCreateRequest, MemoryDeleteResponse, MemoryListRequest, MemoryPatch, MemorySearchRequest,
  MemorySearchResponseHit, MemorySetBandResponse, MemoryShareResponse, MemoryType,
} from '../../../contracts/types';
import { ApiCallError, describeError } from '../api/errors';
import type { Draft } from '../lib/patch';
import { api } from './client';
import { useUndo } from './undo';

/** What the renderer has seen of a memory: enough to name it (undo queue, audit log) and to suggest labels. */
export interface Known {
  title: string;
  band: Band;
  space_id: string;
  tags: string[];
  people: string[];
  places: string[];
  /** the content is hidden from the acting member (a RED memory they are not a recipient of) */
  redacted: boolean;
}

/** An edit whose save failed when its editor closed: kept until the memory is opened again. */
export interface Unsaved {
  draft: Draft;
  /** the memory's fields the draft was typed on, and their version: the save merges there */
  base: Draft;
  baseVersion: number;
  title: string;
}

export interface Filters {
  type?: MemoryType;
  band?: Band;
  tag?: string;
  person?: string;
  /** memory.list has no place filter: with one set, the list is a search (memory.search) */
  place?: string;
  /** ISO timestamps (the day's first and last millisecond, UTC: the calendar day as picked) */
  from?: string;
  to?: string;
}

/** memory.search answers at most this many hits, and counts up to this many: more is "200+", not a count */
export const SEARCH_LIMIT = 200;

export type SortOrder = NonNullable<MemorySearchRequest['sort']>;
export type SearchHit = MemorySearchResponseHit;

/** the order shown when the person has not chosen one: best match for a query, else the newest update */
export const defaultSort = (query: string): SortOrder => (query.trim() ? 'relevance' : 'updated');

/**
 * Whether the list is a search: a query, a filter on what memories say (tag, person, place, when
 * it happened) or an order by date written or happened. One path for all of them, so a filter
 * means the same with and without a query (labels folded, redacted ones never matching) and the
 * count is the same count. Otherwise (everything, or by type and band) memory.list pages through
 * all of it by update time.
 */
export function isSearch(s: Pick<MemoriesState, 'query' | 'filters' | 'sort'>): boolean {
  const f = s.filters;
  return !!s.query.trim() || !!(f.tag || f.person || f.place || f.from || f.to) || s.sort === 'created' || s.sort === 'happened';
}

/** memory.search's parameters for what the list shows: the query AND every filter, in the order chosen. */
export function searchParams(s: Pick<MemoriesState, 'query' | 'filters' | 'sort' | 'spaceId'>): MemorySearchRequest {
  const query = s.query.trim();
  const f = s.filters;
  const p: MemorySearchRequest = { limit: SEARCH_LIMIT };
  if (query) p.query = query;
  if (s.spaceId) p.space_id = s.spaceId;
  if (f.type) p.type = f.type;
  if (f.band) p.band = f.band;
  if (f.tag) p.tags = [f.tag];
  if (f.person) p.people = [f.person];
  if (f.place) p.places = [f.place];
  if (f.from) p.happened_from = f.from.slice(0, 10);
  if (f.to) p.happened_to = f.to.slice(0, 10);
  if (s.sort) p.sort = s.sort;
  return p;
}

/** first page small, so the list paints fast after unlock; later pages larger, fewer round trips */
export const FIRST_PAGE = 40;
export const PAGE = 1000; // the contract maximum: fewer round trips when catching up after a jump
/** a refresh after an event re-reads at most this many rows from the top */
const REFRESH_CAP = 1000;

interface MemoriesState {
  spaceId: string | null;
  filters: Filters;
  query: string;
  /** rows loaded so far, newest first: memory.list pages by cursor, so this is always a prefix */
  rows: Memory[];
  total: number;
  cursor: string | null;
  loading: boolean;
  /** the order chosen in the panel; null: the default (defaultSort) */
  sort: SortOrder | null;
  /** search hits while the list is a search (isSearch); null when it is not */
  hits: SearchHit[] | null;
  /** how many match (at most SEARCH_LIMIT); capped: more than that, shown as "200+" */
  searchTotal: number;
  searchCapped: boolean;
  searching: boolean;
  error: string | null;
  selectedId: string | null;
  /** bumps on every new listing so late answers of an old one are dropped */
  generation: number;
  /** every memory seen so far, by id (see Known) */
  known: Record<string, Known>;
  /**
   * per memory, bumped when an event says it changed on the host (with the version the event
   * names, when it names one): the open editor reads it again
   */
  changes: Record<string, { seq: number; version?: number }>;
  /** edits not saved yet whose editor went away, by memory id */
  unsaved: Record<string, Unsaved>;
  /** deletions asked for and not answered yet: a second Delete of the same memory is refused */
  deleting: Record<string, true>;
  setScope(spaceId: string | null): void;
  setFilters(f: Filters): void;
  setQuery(q: string): void;
  setSort(sort: SortOrder | null): void;
  select(id: string | null): void;
  reload(): Promise<void>;
  refreshTop(): Promise<void>;
  ensureLoaded(index: number): Promise<void>;
  search(): Promise<void>;
  reset(): void;
  /** remembers what these memories are called (lists, the trash, an opened memory) */
  learn(memories: Pick<Memory, 'memory_id' | 'title' | 'band' | 'space_id' | 'tags' | 'people' | 'places' | 'redacted'>[]): void;
  /** reads the memories it does not know yet (for names in the undo queue and the audit log); never opens one */
  ensureKnown(ids: string[]): Promise<void>;
  /** an event said this memory changed: the open editor reads it again */
  noteChanged(memoryId: string, version?: number): void;
  keepUnsaved(memoryId: string, unsaved: Unsaved): void;
  /** the kept edit of this memory, removed from the keep */
  takeUnsaved(memoryId: string): Unsaved | null;
  // ---- one memory (the editor, the new-memory and share dialogs). The list follows by events
  // (HIPPO_ENCODE, MEMORY_UPDATED, …, see live-events.ts); what waits in the undo window is read
  // into the undo queue here, at once.
  /** memory.get: what the editor opens */
  open(memoryId: string): Promise<Memory>;
  /** memory.create, and the new memory becomes the selected one */
  create(params: MemoryCreateRequest): Promise<Memory>;
  /** memory.update: only the changed fields, on the version they were made on */
  update(memoryId: string, baseVersion: number, patch: MemoryPatch): Promise<Memory>;
  setBand(memoryId: string, band: Band, passphrase?: string): Promise<MemorySetBandResponse>;
  /** memory.delete (a Black memory is confirmed: it is shredded); trashed or shredded also deselects it */
  remove(memory: Pick<Memory, 'memory_id' | 'band'>): Promise<{ status: MemoryDeleteResponse['status']; actionId: string | null }>;
  restore(memoryId: string): Promise<Memory>;
  /** memory.share; with dryRun the core's decision only, nothing changes */
  share(memoryId: string, targetSpaceId: string, opts?: { consent?: boolean; dryRun?: boolean }): Promise<MemoryShareResponse>;
  /**
   * The memory a `[[Title]]` link names (memory.search): the one of that title, case aside, in the
   * space first, then anywhere; else one whose title starts with it (an Obsidian link names the
   * file, and the front matter may have given the note a longer title). null: none.
   */
  findByTitle(title: string, spaceId: string | null): Promise<string | null>;
}

function listParams(s: Pick<MemoriesState, 'spaceId' | 'filters'>): MemoryListRequest {
  const p: MemoryListRequest = {};
  if (s.spaceId) p.space_id = s.spaceId;
  for (const [k, v] of Object.entries(s.filters)) if (v && k !== 'place') (p as Record<string, unknown>)[k] = v;
  return p;
}

const initial = {
  spaceId: null, filters: {}, query: '', rows: [], total: 0, cursor: null, loading: false,
  sort: null, hits: null, searchTotal: 0, searchCapped: false, searching: false, error: null, selectedId: null, generation: 0,
  known: {}, changes: {}, unsaved: {}, deleting: {},
};

/** ids ensureKnown has already looked for (cleared by reset) */
const looked = new Set<string>();

/** a deletion of this memory already waits in the undo window */
export function deletionPending(memoryId: string): boolean {
  return useUndo.getState().actions.some((a) => a.kind === 'delete' && a.memory_id === memoryId);
}

export const useMemories = create<MemoriesState>((set, get) => ({
  ...initial,
  setScope(spaceId) {
    set({ spaceId });
    void get().reload();
    if (isSearch(get())) void get().search();
  },
  setFilters(filters) {
    set({ filters });
    void get().reload();
    // a search keeps every filter: a tag chosen, then a word typed, still lists that tag only
    if (isSearch(get())) void get().search(); else set({ hits: null, searching: false });
  },
  setQuery(query) {
    set({ query });
    // typing waits for a pause (MemoryList); clearing the query goes back to the list, or to the filters' search
    if (!query.trim()) {
      if (isSearch(get())) void get().search(); else set({ hits: null, searching: false });
    }
  },
  setSort(sort) {
    set({ sort });
    if (isSearch(get())) void get().search(); else set({ hits: null, searching: false });
  },
  select(id) {
    set({ selectedId: id });
  },
  async reload() {
    const generation = get().generation + 1;
    set({ generation, rows: [], total: 0, cursor: null, loading: true, error: null });
    try {
      const r = await api().call('memory.list', { ...listParams(get()), limit: FIRST_PAGE });
      if (get().generation !== generation) return;
      get().learn(r.memories);
      set({ rows: r.memories, total: r.total, cursor: r.next_cursor, loading: false });
    } catch (e) {
      if (get().generation === generation) set({ loading: false, error: describeError(e) });
    }
  },
  async refreshTop() {
    const s = get();
    if (s.loading) return;
    const generation = s.generation + 1;
    const want = Math.min(Math.max(s.rows.length, FIRST_PAGE), REFRESH_CAP);
    set({ generation });
    try {
      const r = await api().call('memory.list', { ...listParams(s), limit: want });
      if (get().generation !== generation) return;
      // rows past the re-read window stay as they were; the cursor continues after them
      get().learn(r.memories);
      const keepTail = s.rows.length > want ? s.rows.slice(want) : [];
      const seen = new Set(r.memories.map((m) => m.memory_id));
      set({
        rows: [...r.memories, ...keepTail.filter((m) => !seen.has(m.memory_id))],
        total: r.total,
        cursor: keepTail.length ? s.cursor : r.next_cursor,
      });
    } catch (e) {
      if (get().generation === generation) set({ error: describeError(e) });
    }
  },
  async ensureLoaded(index) {
    for (;;) {
      const s = get();
      if (s.loading || !s.cursor || index < s.rows.length) return;
      const generation = s.generation;
      set({ loading: true });
      try {
        const r = await api().call('memory.list', { ...listParams(s), limit: PAGE, cursor: s.cursor });
        if (get().generation !== generation) return;
        get().learn(r.memories);
        set({ rows: s.rows.concat(r.memories), cursor: r.next_cursor, total: Math.max(r.total, s.rows.length + r.memories.length), loading: false });
      } catch (e) {
        if (get().generation === generation) set({ loading: false, error: describeError(e) });
        return;
      }
    }
  },
  async search() {
    const s = get();
    if (!isSearch(s)) { set({ hits: null, searching: false }); return; }
    const params = searchParams(s);
    const key = JSON.stringify(params);
    const current = () => JSON.stringify(searchParams(get())) === key;
    set({ searching: true });
    try {
      const r = await api().call('memory.search', params);
      if (!current()) return; // typed on, or a filter changed: a newer search is on its way
      set({ hits: r.hits, searchTotal: r.total, searchCapped: r.total_capped, searching: false, error: null });
    } catch (e) {
      if (current()) set({ searching: false, error: describeError(e) });
    }
  },
  reset() {
    // decrypted content, names and kept edits go with the session (a lock)
    looked.clear();
    set({ ...initial, generation: get().generation + 1 });
  },
  learn(memories) {
    if (!memories.length) return;
    const known = { ...get().known };
    for (const m of memories) {
      const before = known[m.memory_id];
      // a redacted row (a RED memory in a list) says less than an opened memory: keep the better one
      if (before && m.redacted && !before.redacted) continue;
      known[m.memory_id] = { title: m.title, band: m.band, space_id: m.space_id, tags: m.tags, people: m.people, places: m.places, redacted: m.redacted };
    }
    set({ known });
  },
  async ensureKnown(ids) {
    const missing = [...new Set(ids)].filter((id) => !get().known[id] && !looked.has(id));
    if (!missing.length) return;
    // looked for once per session: one that is not found stays "a memory"
    for (const id of missing) looked.add(id);
    // memory.list reads previews without opening (memory.get of an Amber memory is audited, and a
    // look at the undo queue is not an opening); the newest pages of the live list and the trash
    try {
      const [live, trash] = await Promise.all([
        api().call('memory.list', { limit: PAGE }),
        api().call('memory.list', { limit: PAGE, trash: true }),
      ]);
      get().learn([...live.memories, ...trash.memories]);
    } catch { /* the names stay generic */ }
  },
  noteChanged(memoryId, version) {
    const seq = (get().changes[memoryId]?.seq ?? 0) + 1;
    set({ changes: { ...get().changes, [memoryId]: { seq, ...(version !== undefined ? { version } : {}) } } });
  },
  keepUnsaved(memoryId, unsaved) {
    set({ unsaved: { ...get().unsaved, [memoryId]: unsaved } });
  },
  takeUnsaved(memoryId) {
    const kept = get().unsaved[memoryId] ?? null;
    if (kept) {
      const unsaved = { ...get().unsaved };
      delete unsaved[memoryId];
      set({ unsaved });
    }
    return kept;
  },
  async open(memoryId) {
    const { memory } = await api().call('memory.get', { memory_id: memoryId });
    get().learn([memory]);
    return memory;
  },
  async create(params) {
    const { memory } = await api().call('memory.create', params);
    get().select(memory.memory_id);
    return memory;
  },
  async update(memoryId, baseVersion, patch) {
    return (await api().call('memory.update', { memory_id: memoryId, base_version: baseVersion, patch })).memory;
  },
  async setBand(memoryId, band, passphrase) {
    const r = await api().call('memory.setBand', { memory_id: memoryId, band, ...(passphrase ? { reauth: { passphrase } } : {}) });
    if (r.status === 'staged') void useUndo.getState().load().catch(() => {});
    return r;
  },
  async remove(memory) {
    const id = memory.memory_id;
    // one deletion per memory: a second Delete while the first is asked for or waits is refused
    if (get().deleting[id] || deletionPending(id)) throw new ApiCallError('CONFLICT', 'a deletion of this memory already waits in the undo window');
    set({ deleting: { ...get().deleting, [id]: true } });
    try {
      const r = await api().call('memory.delete', { memory_id: id, ...(memory.band === 'BLACK' ? { confirm: true } : {}) });
      if (r.status === 'staged') await useUndo.getState().load().catch(() => {});
      else if (get().selectedId === id) get().select(null); // trashed or shredded: it leaves the list
      return { status: r.status, actionId: r.pending?.action_id ?? null };
    } finally {
      const deleting = { ...get().deleting };
      delete deleting[id];
      set({ deleting });
    }
  },
  async restore(memoryId) {
    const { memory } = await api().call('memory.restore', { memory_id: memoryId });
    get().learn([memory]);
    get().noteChanged(memoryId);
    return memory;
  },
  async findByTitle(title, spaceId) {
    const want = title.trim().toLowerCase();
    const pick = (hits: SearchHit[]) =>
      hits.find((h) => h.title.trim().toLowerCase() === want) ?? hits.find((h) => h.title.trim().toLowerCase().startsWith(want));
    for (const scope of spaceId ? [spaceId, null] : [null]) {
      const r = await api().call('memory.search', { query: title, limit: 20, ...(scope ? { space_id: scope } : {}) });
      const hit = pick(r.hits);
      if (hit) return hit.memory_id;
    }
    return null;
  },
  async share(memoryId, targetSpaceId, opts = {}) {
    const r = await api().call('memory.share', {
      memory_id: memoryId, target_space_id: targetSpaceId, ...(opts.dryRun ? { dry_run: true } : {}), ...(opts.consent ? { consent: true } : {}),
    });
    if (r.status === 'staged') void useUndo.getState().load().catch(() => {});
    return r;
  },
}));
