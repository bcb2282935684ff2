import { create } from 'zustand';
import type { Member, PendingAction, Role, Space, SpaceInviteResponse, SpaceJoinResponse, SpaceKind } from '../../../contracts/types';
import { api } from './client';
import { useUndo } from './undo';

interface SpacesState {
  spaces: Space[];
  members: Member[];
  /** null: every space */
  selected: string | null;
  load(): Promise<void>;
  select(spaceId: string | null): void;
  create(kind: SpaceKind, name: string): Promise<Space>;
  addMember(spaceId: string, memberId: string, role: Role): Promise<void>;
  /** a member's role changed in place (space.addMember sets the role of someone already in the space) */
  setRole(spaceId: string, memberId: string, role: Role): Promise<void>;
  createMember(name: string): Promise<Member>;
  /** space.rename (guardians): the id stays, the name reaches every member's devices by sync */
  rename(spaceId: string, name: string): Promise<void>;
  /** space.removeMember: staged behind the undo window (read into the undo queue at once) */
  removeMember(spaceId: string, memberId: string): Promise<PendingAction>;
  /** space.invite: an invite for another person, with a role */
  invite(spaceId: string, role: Role): Promise<SpaceInviteResponse>;
  /** space.join with another person's invite; the space's memories then arrive by sync */
  join(invite: string): Promise<SpaceJoinResponse>;
  reset(): void;
}

export const useSpaces = create<SpacesState>((set, get) => ({
  spaces: [],
  members: [],
  selected: null,
  async load() {
    const [{ spaces }, { members }] = await Promise.all([api().call('space.list', {}), api().call('member.list', {})]);
    set({ spaces, members });
  },
  select(spaceId) {
    set({ selected: spaceId });
  },
  async create(kind, name) {
    const { space } = await api().call('space.create', { kind, name });
    await get().load();
    return space;
  },
  async addMember(spaceId, memberId, role) {
    await api().call('space.addMember', { space_id: spaceId, member_id: memberId, role });
    await get().load();
  },
  async setRole(spaceId, memberId, role) {
    const { space } = await api().call('space.addMember', { space_id: spaceId, member_id: memberId, role });
    set({ spaces: get().spaces.map((s) => (s.space_id === spaceId ? { ...space, memory_count: space.memory_count ?? s.memory_count } : s)) });
  },
  async rename(spaceId, name) {
    const { space } = await api().call('space.rename', { space_id: spaceId, name });
    set({ spaces: get().spaces.map((s) => (s.space_id === spaceId ? { ...space, memory_count: space.memory_count ?? s.memory_count } : s)) });
  },
  async createMember(name) {
    const { member } = await api().call('member.create', { name });
    await get().load();
    return member;
  },
  async removeMember(spaceId, memberId) {
    const { pending } = await api().call('space.removeMember', { space_id: spaceId, member_id: memberId });
    useUndo.getState().noteRemoval(pending.action_id, memberId);
    await useUndo.getState().load();
    return pending;
  },
  invite(spaceId, role) {
    return api().call('space.invite', { space_id: spaceId, role });
  },
  async join(invite) {
    const r = await api().call('space.join', { invite });
    await get().load();
    return r;
  },
  reset() {
    set({ spaces: [], members: [], selected: null });
  },
}));

export function spaceById(spaces: Space[], id: string | null | undefined): Space | undefined {
  return spaces.find((s) => s.space_id === id);
}
