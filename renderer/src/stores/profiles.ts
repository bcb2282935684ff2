import { create } from 'zustand';
import type { Member, MemoryPreviewAsResponse } from '../../../contracts/types';
import { anyUnsavedEdit, flushAutosaves } from '../lib/autosave';
import { api } from './client';
import { useMemories } from './memories';

/**
 * Profiles on a shared computer. The window's session acts as one local profile; a switch
 * (session.switchProfile, with that profile's PIN when it has one) binds the session to the
 * other: the host then refuses anything done as someone else. The PIN is a guard between the
 * people who share this computer, not encryption.
 */
interface ProfilesState {
  /** the profile this window acts as (null until read) */
  current: Member | null;
  /** bound: the host refuses acting as anyone else on this session */
  bound: boolean;
  /** the profiles whose keys this vault holds */
  profiles: Member[];
  /** bumps with every switch: the shell is drawn again, as that profile sees it */
  epoch: number;
  load(): Promise<void>;
  /**
   * saves what is being typed first (as locking does): an edit that cannot be saved keeps the
   * window where it is ("unsaved"); a wrong PIN throws (BAD_CREDENTIALS, RATE_LIMITED)
   */
  switchTo(memberId: string, pin?: string): Promise<'switched' | 'unsaved'>;
  setPin(memberId: string, pin: string | null): Promise<void>;
  /** memory.previewAs: what that member would see of a memory, in a space */
  previewAs(memoryId: string, memberId: string, spaceId?: string): Promise<MemoryPreviewAsResponse>;
  reset(): void;
}

export const useProfiles = create<ProfilesState>((set, get) => ({
  current: null,
  bound: false,
  profiles: [],
  epoch: 0,
  async load() {
    const [cur, { members }] = await Promise.all([api().call('session.current', {}), api().call('member.list', {})]);
    set({ current: cur.member, bound: cur.bound, profiles: members.filter((m) => m.local) });
  },
  async switchTo(memberId, pin) {
    const saved = await flushAutosaves();
    if (!saved || anyUnsavedEdit() || Object.keys(useMemories.getState().unsaved).length > 0) return 'unsaved';
    const r = await api().call('session.switchProfile', { member_id: memberId, ...(pin ? { pin } : {}) });
    api().rebind(r.session_token);
    set({ current: r.member, bound: true, epoch: get().epoch + 1 });
    await get().load().catch(() => {});
    return 'switched';
  },
  async setPin(memberId, pin) {
    await api().call('member.setPin', { member_id: memberId, pin });
    await get().load();
  },
  previewAs(memoryId, memberId, spaceId) {
    return api().call('memory.previewAs', { memory_id: memoryId, member_id: memberId, ...(spaceId ? { space_id: spaceId } : {}) });
  },
  reset() {
    set({ current: null, bound: false, profiles: [] });
  },
}));
