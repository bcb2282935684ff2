import { create } from 'zustand';

export type Screen = 'memories' | 'trash' | 'devices' | 'audit' | 'diagnostics' | 'settings' | 'encryption' | 'privacy';
export type Theme = 'light' | 'dark';

const THEME_KEY = 'memoryos.theme';

function initialTheme(): Theme {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(THEME_KEY) : null;
  if (saved === 'light' || saved === 'dark') return saved;
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** A button in the toast: the Undo of "Moved to the trash." */
export interface NoticeAction { label: string; run(): void | Promise<void> }

/** Dialogs the shell opens: the command palette, the sheet of shortcuts, a new memory, an import. */
export type Overlay = 'palette' | 'shortcuts' | 'new-memory' | 'lock-unsaved' | 'import' | null;

interface UiState {
  screen: Screen;
  theme: Theme;
  /** a short message for the live region (screen readers) and the toast */
  notice: string | null;
  /** what the toast's button does, while that notice shows */
  noticeAction: NoticeAction | null;
  /** bumps with every notice, so the same text twice still restarts the toast's timer */
  noticeSeq: number;
  overlay: Overlay;
  /** a request to the open editor from a shortcut or the palette (delete, share, edit), by sequence */
  editorRequest: { kind: 'delete' | 'share' | 'edit'; seq: number } | null;
  go(screen: Screen): void;
  toggleTheme(): void;
  notify(text: string | null, action?: NoticeAction): void;
  setOverlay(o: Overlay): void;
  requestEditor(kind: 'delete' | 'share' | 'edit'): void;
}

export const useUi = create<UiState>((set, get) => ({
  screen: 'memories',
  theme: initialTheme(),
  notice: null,
  noticeAction: null,
  noticeSeq: 0,
  overlay: null,
  editorRequest: null,
  go(screen) {
    set({ screen });
  },
  toggleTheme() {
    const theme = get().theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem(THEME_KEY, theme);
    set({ theme });
  },
  notify(notice, action) {
    set({ notice, noticeAction: notice ? action ?? null : null, noticeSeq: get().noticeSeq + 1 });
  },
  setOverlay(overlay) {
    set({ overlay });
  },
  requestEditor(kind) {
    set({ editorRequest: { kind, seq: (get().editorRequest?.seq ?? 0) + 1 } });
  },
}));
