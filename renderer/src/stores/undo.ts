import { create } from 'zustand';
import type { PendingAction } from '../../../contracts/types';
import { describeError } from '../api/errors';
import { deadlineFrom } from '../lib/countdown';
import { api } from './client';

export interface QueuedAction extends PendingAction {
  /** performance.now() time when the window closes */
  deadline: number;
}

interface UndoState {
  /** what waits in the undo window, newest first */
  actions: QueuedAction[];
  open: boolean;
  lastError: string | null;
  /**
   * who a member removal staged from this window removes, by action id: undo.list does not say
   * (PendingAction has no member id), so a removal staged elsewhere is "a person" until the core says
   */
  removing: Record<string, string>;
  load(): Promise<void>;
  undo(actionId: string): Promise<boolean>;
  setOpen(open: boolean): void;
  noteRemoval(actionId: string, memberId: string): void;
  reset(): void;
}

/** the pending actions of one memory (its banner) */
export function pendingFor(actions: QueuedAction[], memoryId: string): QueuedAction[] {
  return actions.filter((a) => a.memory_id === memoryId);
}

/** ids of memories the actions name, for the memories store to learn their titles */
let onMemories: ((ids: string[]) => void) | null = null;
export function whenActionsNameMemories(fn: (ids: string[]) => void): void {
  onMemories = fn;
}

/**
 * The undo queue. It is read again when UNDO_WINDOW_OPENED, UNDO_APPLIED or ACTION_COMMITTED
 * arrives (see live-events.ts), never on a timer; the countdowns tick locally from seconds_left.
 */
export const useUndo = create<UndoState>((set, get) => ({
  actions: [],
  open: false,
  lastError: null,
  removing: {},
  async load() {
    const asked = performance.now();
    const { actions } = await api().call('undo.list', {});
    const next = actions
      .filter((a) => a.status === 'pending')
      .map((a) => ({ ...a, deadline: deadlineFrom(a.seconds_left, asked) }))
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.action_id.localeCompare(a.action_id));
    set({ actions: next });
    const ids = next.flatMap((a) => (a.memory_id ? [a.memory_id] : []));
    if (ids.length) onMemories?.(ids);
  },
  async undo(actionId) {
    try {
      await api().call('undo.apply', { action_id: actionId });
      set({ lastError: null, actions: get().actions.filter((a) => a.action_id !== actionId) });
      return true;
    } catch (e) {
      set({ lastError: describeError(e) });
      await get().load().catch(() => {});
      return false;
    }
  },
  setOpen(open) {
    set({ open });
  },
  noteRemoval(actionId, memberId) {
    set({ removing: { ...get().removing, [actionId]: memberId } });
  },
  reset() {
    set({ actions: [], open: false, lastError: null, removing: {} });
  },
}));
