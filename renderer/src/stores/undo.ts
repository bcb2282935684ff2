import { create } from 'zustand';
import type { PendingAction } from '../../../contracts/types';
import { deadlineFrom } from '../lib/countdown';
import { api } from './client';

export interface QueuedAction extends PendingAction {
  /** performance.now() time when the window closes */
  deadline: number;
}

interface UndoState {
  actions: QueuedAction[];
  open: boolean;
  lastError: string | null;
  load(): Promise<void>;
  undo(actionId: string): Promise<void>;
  setOpen(open: boolean): void;
  reset(): void;
}

/**
 * The undo queue. It is read again when UNDO_WINDOW_OPENED, UNDO_APPLIED or ACTION_COMMITTED
 * arrives (see live-events.ts), never on a timer; the countdowns tick locally from seconds_left.
 */
export const useUndo = create<UndoState>((set, get) => ({
  actions: [],
  open: false,
  lastError: null,
  async load() {
    const asked = performance.now();
    const { actions } = await api().call('undo.list', {});
    set({
      actions: actions
        .filter((a) => a.status === 'pending')
        .map((a) => ({ ...a, deadline: deadlineFrom(a.seconds_left, asked) }))
        .sort((a, b) => a.deadline - b.deadline),
    });
  },
  async undo(actionId) {
    try {
      await api().call('undo.apply', { action_id: actionId });
      set({ lastError: null, actions: get().actions.filter((a) => a.action_id !== actionId) });
    } catch (e) {
      set({ lastError: (e as Error).message });
      await get().load();
    }
  },
  setOpen(open) {
    set({ open });
  },
  reset() {
    set({ actions: [], open: false, lastError: null });
  },
}));
