import { create } from 'zustand';
import type { Member, Role, Space, SpaceKind } from '../../../contracts/types';
import { api } from './client';

interface SpacesState {
  spaces: Space[];
  members: Member[];
  /** null: every space */
  selected: string | null;
  load(): Promise<void>;
  select(spaceId: string | null): void;
  create(kind: SpaceKind, name: string): Promise<Space>;
  addMember(spaceId: string, memberId: string, role: Role): Promise<void>;
  createMember(name: string): Promise<Member>;
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
  async createMember(name) {
    const { member } = await api().call('member.create', { name });
    await get().load();
    return member;
  },
  reset() {
    set({ spaces: [], members: [], selected: null });
  },
}));

export function spaceById(spaces: Space[], id: string | null | undefined): Space | undefined {
  return spaces.find((s) => s.space_id === id);
}
