import { create } from 'zustand';
import type { VaultStatusResponse } from '../../../contracts/types';
import { describeError } from '../api/errors';
import { api } from './client';

export type Phase = 'connecting' | 'unreachable' | 'create' | 'locked' | 'unlocked';

interface SessionState {
  phase: Phase;
  status: VaultStatusResponse | null;
  problem: string | null;
  /** shown once after vault.create, until the person confirms they saved it */
  recoveryKey: string | null;
  refresh(): Promise<void>;
  lock(): Promise<void>;
  acknowledgeRecoveryKey(): void;
  setRecoveryKey(key: string): void;
  setUnreachable(problem: string): void;
}

function phaseOf(s: VaultStatusResponse): Phase {
  if (!s.exists) return 'create';
  return s.unlocked ? 'unlocked' : 'locked';
}

export const useSession = create<SessionState>((set, get) => ({
  phase: 'connecting',
  status: null,
  problem: null,
  recoveryKey: null,
  async refresh() {
    try {
      const status = await api().call('vault.status', {});
      set({ status, phase: phaseOf(status), problem: null });
    } catch (e) {
      set({ phase: 'unreachable', problem: describeError(e) });
    }
  },
  async lock() {
    await api().call('vault.lock', {});
    set({ recoveryKey: null });
    await get().refresh();
  },
  acknowledgeRecoveryKey() {
    set({ recoveryKey: null });
  },
  setRecoveryKey(key) {
    set({ recoveryKey: key });
  },
  setUnreachable(problem) {
    set({ phase: 'unreachable', problem });
  },
}));
