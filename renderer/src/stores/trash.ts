import { create } from 'zustand';
import type { Memory } from '../../../contracts/types';
import { describeError } from '../api/errors';
import { api } from './client';
import { useMemories } from './memories';

/** the contract maximum of one memory.list page */
const PAGE = 1000;

interface TrashState {
  /** what is in the trash, most recently deleted first */
  rows: Memory[];
  total: number;
  /** read at least once since the screen opened: events re-read it while true */
  watched: boolean;
  loading: boolean;
  error: string | null;
  /** memory.list {trash: true}: every memory in the trash the acting member may see */
  load(): Promise<void>;
  watch(): () => void;
  /** memory.restore: back into its space */
  restore(memoryId: string): Promise<Memory>;
  reset(): void;
  // emptying the trash for good (trash.empty) is the Privacy center's, with its typed
  // confirmation (stores/privacy.ts); retention empties it on its own after trash_retention_days
}

let generation = 0;

/** The Trash screen: memories deleted to the trash, restorable until erasure empties it. */
export const useTrash = create<TrashState>((set, get) => ({
  rows: [],
  total: 0,
  watched: false,
  loading: false,
  error: null,
  async load() {
    const g = ++generation;
    set({ loading: true });
    try {
      const rows: Memory[] = [];
      let cursor: string | null = null;
      let total = 0;
      do {
        const r: { memories: Memory[]; next_cursor: string | null; total: number } = await api().call('memory.list', { trash: true, limit: PAGE, ...(cursor ? { cursor } : {}) });
        rows.push(...r.memories);
        total = r.total;
        cursor = r.next_cursor;
      } while (cursor && rows.length < 10 * PAGE);
      if (g !== generation) return;
      rows.sort((a, b) => (b.deleted_at ?? '').localeCompare(a.deleted_at ?? ''));
      useMemories.getState().learn(rows);
      set({ rows, total: Math.max(total, rows.length), loading: false, error: null });
    } catch (e) {
      if (g === generation) set({ loading: false, error: describeError(e) });
    }
  },
  watch() {
    set({ watched: true });
    void get().load();
    return () => set({ watched: false });
  },
  async restore(memoryId) {
    const memory = await useMemories.getState().restore(memoryId);
    set({ rows: get().rows.filter((m) => m.memory_id !== memoryId), total: Math.max(0, get().total - 1) });
    return memory;
  },
  reset() {
    generation++;
    set({ rows: [], total: 0, watched: false, loading: false, error: null });
  },
}));
