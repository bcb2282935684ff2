import { create } from 'zustand';
import type { Settings } from '../../../contracts/types';
import { api } from './client';

interface SettingsState {
  settings: Settings;
  load(): Promise<void>;
  save(patch: Settings): Promise<void>;
}

export const useSettings = create<SettingsState>((set) => ({
  settings: {},
  async load() {
    const { settings } = await api().call('settings.get', {});
    set({ settings });
  },
  async save(patch) {
    const { settings } = await api().call('settings.set', { settings: patch });
    set({ settings });
  },
}));
