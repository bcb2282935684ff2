import { useMemo } from 'react';
import { useMemories } from '../stores/memories';
import { useSession } from '../stores/session';
import { useSpaces } from '../stores/spaces';
import { useUi, type Screen } from '../stores/ui';
import { useUndo } from '../stores/undo';

export interface Command {
  id: string;
  label: string;
  /** the shortcut that does the same, shown beside it */
  keys?: string;
  /** more words it is found by */
  words?: string;
  run(): void;
}

export const SCREENS: { screen: Screen; label: string }[] = [
  { screen: 'memories', label: 'Memories' },
  { screen: 'trash', label: 'Trash' },
  { screen: 'devices', label: 'Devices & sync' },
  { screen: 'audit', label: 'Audit log' },
  { screen: 'privacy', label: 'Privacy' },
  { screen: 'diagnostics', label: 'Diagnostics' },
  { screen: 'settings', label: 'Settings' },
];

/** The modifier of the palette's shortcut as this platform names it. */
export const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';

/** Shows a space's memories: the sidebar's selection and the list's scope together. */
export function pickSpace(id: string | null): void {
  useSpaces.getState().select(id);
  useMemories.getState().setScope(id);
  useUi.getState().go('memories');
}

/** [ and ]: the previous or next entry of the sidebar (All spaces, then each space). */
export function stepSpace(delta: 1 | -1): void {
  const order = [null, ...useSpaces.getState().spaces.map((s) => s.space_id)];
  const at = order.indexOf(useSpaces.getState().selected);
  pickSpace(order[(at + delta + order.length) % order.length]);
}

/** Locks, after saving what is typed; an edit that cannot be saved asks first (Shell's dialog). */
export async function requestLock(force = false): Promise<void> {
  const r = await useSession.getState().lock({ force });
  if (r === 'unsaved') useUi.getState().setOverlay('lock-unsaved');
}

/** Puts the caret in the search field of the memories screen. */
export function focusSearch(): void {
  useUi.getState().go('memories');
  requestAnimationFrame(() => document.querySelector<HTMLInputElement>('[data-testid="search"]')?.focus());
}

/** Everything the command palette offers, in the order it lists them. */
export function useCommands(): Command[] {
  const spaces = useSpaces((s) => s.spaces);
  const selected = useMemories((s) => s.selectedId);
  const screen = useUi((s) => s.screen);
  const theme = useUi((s) => s.theme);
  return useMemo(() => {
    const ui = () => useUi.getState();
    const cmds: Command[] = [
      ...SCREENS.map((s) => ({ id: `go-${s.screen}`, label: s.label, words: 'go to screen open', run: () => ui().go(s.screen) })),
      { id: 'go-encryption', label: 'What is encrypted', words: 'privacy plaintext metadata keys', run: () => ui().go('encryption') },
      { id: 'new', label: 'New memory', keys: 'N', words: 'write create add note', run: () => { ui().go('memories'); ui().setOverlay('new-memory'); } },
      { id: 'import', label: 'Import notes from another app…', words: 'evernote enex keep joplin obsidian markdown backup restore bring in', run: () => ui().setOverlay('import') },
      { id: 'search', label: 'Search memories', keys: '/', words: 'find look', run: focusSearch },
      { id: 'space-all', label: 'All spaces', words: 'space show every', run: () => pickSpace(null) },
      ...spaces.map((s) => ({ id: `space-${s.space_id}`, label: `Space: ${s.name}`, words: 'go to space switch', run: () => pickSpace(s.space_id) })),
    ];
    if (selected && screen === 'memories') {
      cmds.push(
        { id: 'edit', label: 'Edit the text of this memory', keys: 'E', words: 'write change', run: () => ui().requestEditor('edit') },
        { id: 'share', label: 'Share this memory…', words: 'copy send space', run: () => ui().requestEditor('share') },
        { id: 'delete', label: 'Delete this memory…', keys: 'Delete', words: 'remove bin', run: () => ui().requestEditor('delete') },
      );
    }
    cmds.push(
      { id: 'undo', label: 'Open the undo queue', words: 'pending waiting take back', run: () => useUndo.getState().setOpen(true) },
      { id: 'theme', label: `Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`, words: 'colour color dark light', run: () => ui().toggleTheme() },
      { id: 'shortcuts', label: 'Keyboard shortcuts', keys: '?', words: 'keys help', run: () => ui().setOverlay('shortcuts') },
      { id: 'lock', label: 'Lock the vault', words: 'close leave', run: () => { void requestLock(); } },
    );
    return cmds;
  }, [spaces, selected, screen, theme]);
}

/** Commands whose label (or other words) hold every word typed, labels first. */
export function filterCommands(cmds: Command[], query: string): Command[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return cmds;
  const inLabel = (c: Command) => words.every((w) => c.label.toLowerCase().includes(w));
  const anywhere = (c: Command) => words.every((w) => `${c.label} ${c.words ?? ''}`.toLowerCase().includes(w));
  return [...cmds.filter(inLabel), ...cmds.filter((c) => !inLabel(c) && anywhere(c))];
}
