import { create } from 'zustand';
import type { VaultStatusResponse, VaultUnlockRequest } from '../../../contracts/types';
import type { Transport } from '../api/transport';
import { describeError } from '../api/errors';
import { flushAutosaves } from '../lib/autosave';
import { api } from './client';

export type Phase = 'connecting' | 'unreachable' | 'create' | 'locked' | 'unlocked';

interface SessionState {
  phase: Phase;
  status: VaultStatusResponse | null;
  problem: string | null;
  /** the door calls go through: Electron IPC or the local host's WebSocket (null: not connected) */
  door: Transport['kind'] | null;
  /** shown once after vault.create, until the person confirms they saved it */
  recoveryKey: string | null;
  refresh(): Promise<void>;
  /** vault.create: the recovery key screen comes first; the vault is unlocked behind it */
  createVault(name: string, passphrase: string): Promise<void>;
  unlock(credentials: VaultUnlockRequest): Promise<void>;
  /** saves what is being typed in the editor first, then locks */
  lock(): Promise<void>;
  changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void>;
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
  door: null,
  recoveryKey: null,
  async refresh() {
    try {
      const client = api();
      const status = await client.call('vault.status', {});
      set({ status, phase: phaseOf(status), problem: null, door: client.door });
    } catch (e) {
      set({ phase: 'unreachable', problem: describeError(e) });
    }
  },
  async createVault(name, passphrase) {
    const r = await api().call('vault.create', { passphrase, name });
    get().setRecoveryKey(r.recovery_key);
    await get().refresh();
  },
  async unlock(credentials) {
    await api().call('vault.unlock', credentials);
    await get().refresh();
  },
  async lock() {
    // an edit typed less than the autosave delay ago is saved, not dropped (a failed save has
    // already said so in the editor; locking goes on regardless)
    await flushAutosaves();
    await api().call('vault.lock', {});
    set({ recoveryKey: null });
    await get().refresh();
  },
  async changePassphrase(oldPassphrase, newPassphrase) {
    await api().call('vault.changePassphrase', { old_passphrase: oldPassphrase, new_passphrase: newPassphrase });
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
