import { create } from 'zustand';
import type {
  Band, Memory, MemoryCreateRequest, MemoryDeleteResponse, MemoryListRequest, MemoryPatch, MemorySetBandResponse,
  MemoryShareResponse, MemoryType, SearchHit,
} from '../../../contracts/types';
import { describeError } from '../api/errors';
import { api } from './client';
import { useUndo } from './undo';

export interface Filters {
  type?: MemoryType;
  band?: Band;
  tag?: string;
  person?: string;
  /** ISO timestamps */
  from?: string;
  to?: string;
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
  /** search hits while query is non-empty; null when not searching */
  hits: SearchHit[] | null;
  searching: boolean;
  error: string | null;
  selectedId: string | null;
  /** bumps on every new listing so late answers of an old one are dropped */
  generation: number;
  setScope(spaceId: string | null): void;
  setFilters(f: Filters): void;
  setQuery(q: string): void;
  select(id: string | null): void;
  reload(): Promise<void>;
  refreshTop(): Promise<void>;
  ensureLoaded(index: number): Promise<void>;
  search(): Promise<void>;
  reset(): void;
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
  remove(memory: Pick<Memory, 'memory_id' | 'band'>): Promise<MemoryDeleteResponse['status']>;
  restore(memoryId: string): Promise<Memory>;
  /** memory.share; with dryRun the core's decision only, nothing changes */
  share(memoryId: string, targetSpaceId: string, opts?: { consent?: boolean; dryRun?: boolean }): Promise<MemoryShareResponse>;
}

function listParams(s: Pick<MemoriesState, 'spaceId' | 'filters'>): MemoryListRequest {
  const p: MemoryListRequest = {};
  if (s.spaceId) p.space_id = s.spaceId;
  for (const [k, v] of Object.entries(s.filters)) if (v) (p as Record<string, unknown>)[k] = v;
  return p;
}

const initial = {
  spaceId: null, filters: {}, query: '', rows: [], total: 0, cursor: null, loading: false,
  hits: null, searching: false, error: null, selectedId: null, generation: 0,
};

export const useMemories = create<MemoriesState>((set, get) => ({
  ...initial,
  setScope(spaceId) {
    set({ spaceId });
    void get().reload();
    if (get().query) void get().search();
  },
  setFilters(filters) {
    set({ filters });
    void get().reload();
    if (get().query) void get().search();
  },
  setQuery(query) {
    set({ query });
    if (!query.trim()) set({ hits: null, searching: false });
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
        set({ rows: s.rows.concat(r.memories), cursor: r.next_cursor, total: Math.max(r.total, s.rows.length + r.memories.length), loading: false });
      } catch (e) {
        if (get().generation === generation) set({ loading: false, error: describeError(e) });
        return;
      }
    }
  },
  async search() {
    const s = get();
    const query = s.query.trim();
    if (!query) { set({ hits: null, searching: false }); return; }
    set({ searching: true });
    try {
      const params = { query, limit: 200, ...(s.spaceId ? { space_id: s.spaceId } : {}), ...(s.filters.type ? { type: s.filters.type } : {}), ...(s.filters.band ? { band: s.filters.band } : {}) };
      const r = await api().call('memory.search', params);
      if (get().query.trim() !== query) return; // typed on: a newer search is on its way
      set({ hits: r.hits, searching: false, error: null });
    } catch (e) {
      if (get().query.trim() === query) set({ searching: false, error: describeError(e) });
    }
  },
  reset() {
    set({ ...initial, generation: get().generation + 1 });
  },
  async open(memoryId) {
    return (await api().call('memory.get', { memory_id: memoryId })).memory;
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
    const r = await api().call('memory.delete', { memory_id: memory.memory_id, ...(memory.band === 'BLACK' ? { confirm: true } : {}) });
    if (r.status === 'staged') void useUndo.getState().load().catch(() => {});
    else if (get().selectedId === memory.memory_id) get().select(null);
    return r.status;
  },
  async restore(memoryId) {
    return (await api().call('memory.restore', { memory_id: memoryId })).memory;
  },
  async share(memoryId, targetSpaceId, opts = {}) {
    const r = await api().call('memory.share', {
      memory_id: memoryId, target_space_id: targetSpaceId, ...(opts.dryRun ? { dry_run: true } : {}), ...(opts.consent ? { consent: true } : {}),
    });
    if (r.status === 'staged') void useUndo.getState().load().catch(() => {});
    return r;
  },
}));
