import { create } from 'zustand';

export type Screen = 'memories' | 'devices' | 'audit' | 'diagnostics' | 'settings';
export type Theme = 'light' | 'dark';

const THEME_KEY = 'memoryos.theme';

function initialTheme(): Theme {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(THEME_KEY) : null;
  if (saved === 'light' || saved === 'dark') return saved;
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

interface UiState {
  screen: Screen;
  theme: Theme;
  /** a short message for the live region (screen readers) and the toast */
  notice: string | null;
  go(screen: Screen): void;
  toggleTheme(): void;
  notify(text: string | null): void;
}

export const useUi = create<UiState>((set, get) => ({
  screen: 'memories',
  theme: initialTheme(),
  notice: null,
  go(screen) {
    set({ screen });
  },
  toggleTheme() {
    const theme = get().theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem(THEME_KEY, theme);
    set({ theme });
  },
  notify(notice) {
    set({ notice });
  },
}));
