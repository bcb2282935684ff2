import { create } from 'zustand';
import type { VaultStatusResponse, VaultUnlockRequest } from '../../../contracts/types';
import type { Transport, TransportStatus } from '../api/transport';
import { ApiCallError, describeError } from '../api/errors';
import { anyUnsavedEdit, flushAutosaves } from '../lib/autosave';
import { api } from './client';
import { useMemories } from './memories';

export type Phase = 'connecting' | 'unreachable' | 'create' | 'locked' | 'unlocked';

interface SessionState {
  phase: Phase;
  status: VaultStatusResponse | null;
  problem: string | null;
  /** the door calls go through: Electron IPC or the local host's WebSocket (null: not connected) */
  door: Transport['kind'] | null;
  /**
   * the connection to the host (the WebSocket reconnects; IPC is always open). Once the app was
   * connected, a drop shows a banner and hides decrypted content until it is back (hostGone).
   */
  connection: TransportStatus;
  /** connected once in this window: a later drop is a host gone, not a wrong link */
  everOpen: boolean;
  /** shown once after vault.create, until the person confirms they saved it */
  recoveryKey: string | null;
  refresh(): Promise<void>;
  /** vault.create: the recovery key screen comes first; the vault is unlocked behind it */
  createVault(name: string, passphrase: string): Promise<void>;
  unlock(credentials: VaultUnlockRequest): Promise<void>;
  /**
   * saves what is being typed in the editor first, then locks. When an edit cannot be saved it
   * does not lock (answers "unsaved") unless forced: the person decides whether to lose it.
   */
  lock(opts?: { force?: boolean }): Promise<'locked' | 'unsaved'>;
  changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void>;
  /** the person gave the key back (its last group typed): the vault stops asking for it */
  acknowledgeRecoveryKey(): Promise<void>;
  /** a key never confirmed (the window closed on it) is replaced, after the passphrase */
  replaceRecoveryKey(passphrase: string): Promise<void>;
  setRecoveryKey(key: string): void;
  setUnreachable(problem: string): void;
  setConnection(s: TransportStatus): void;
}

function phaseOf(s: VaultStatusResponse): Phase {
  if (!s.exists) return 'create';
  return s.unlocked ? 'unlocked' : 'locked';
}

/** The host stopped answering after it was reached: show it, hide what was decrypted. */
export function hostGone(s: Pick<SessionState, 'connection' | 'everOpen'>): boolean {
  return s.everOpen && s.connection !== 'open';
}

/** Leaving the window now would lose something: an unsaved edit, or a recovery key not yet confirmed. */
export function leavingLosesSomething(): boolean {
  return !!useSession.getState().recoveryKey || anyUnsavedEdit() || Object.keys(useMemories.getState().unsaved).length > 0;
}

export const useSession = create<SessionState>((set, get) => ({
  phase: 'connecting',
  status: null,
  problem: null,
  door: null,
  connection: 'connecting',
  everOpen: false,
  recoveryKey: null,
  async refresh() {
    try {
      const client = api();
      const status = await client.call('vault.status', {});
      set({ status, phase: phaseOf(status), problem: null, door: client.door, ...(client.door === 'ipc' ? { connection: 'open', everOpen: true } : {}) });
    } catch (e) {
      // a host that went away after it was reached keeps the app where it was (the banner says
      // so, content is hidden, drafts stay); only a first contact that fails is "unreachable"
      if (e instanceof ApiCallError && e.code === 'TRANSPORT' && get().everOpen && get().phase !== 'connecting') return;
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
  async lock(opts = {}) {
    // an edit typed less than the autosave delay ago is saved, not dropped
    const saved = await flushAutosaves();
    if (!opts.force && (!saved || Object.keys(useMemories.getState().unsaved).length > 0)) return 'unsaved';
    await api().call('vault.lock', {});
    set({ recoveryKey: null });
    await get().refresh();
    return 'locked';
  },
  async changePassphrase(oldPassphrase, newPassphrase) {
    await api().call('vault.changePassphrase', { old_passphrase: oldPassphrase, new_passphrase: newPassphrase });
  },
  async acknowledgeRecoveryKey() {
    const key = get().recoveryKey;
    if (key) await api().call('vault.confirmRecoveryKey', { recovery_key: key });
    set({ recoveryKey: null });
    await get().refresh();
  },
  async replaceRecoveryKey(passphrase) {
    const r = await api().call('vault.newRecoveryKey', { passphrase });
    set({ recoveryKey: r.recovery_key });
  },
  setRecoveryKey(key) {
    set({ recoveryKey: key });
  },
  setUnreachable(problem) {
    set({ phase: 'unreachable', problem });
  },
  setConnection(connection) {
    set({ connection, ...(connection === 'open' ? { everOpen: true } : {}) });
  },
}));
