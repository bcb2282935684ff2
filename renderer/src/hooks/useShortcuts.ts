import { useEffect } from 'react';
import { useMemories } from '../stores/memories';
import { useUi } from '../stores/ui';
import { focusSearch, stepSpace } from './useCommands';

/** Typing in a field, or a dialog open: single-key shortcuts stay out of the way. */
function typing(target: EventTarget | null): boolean {
  const t = target as HTMLElement | null;
  if (!t) return false;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || t.isContentEditable;
}

/**
 * The shell's keyboard shortcuts (listed by ShortcutsSheet): Ctrl/Cmd-K everywhere; N, /, E,
 * Delete, [ and ] and ? when the caret is not in a field and no dialog is open.
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ui = useUi.getState();
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        ui.setOverlay(ui.overlay === 'palette' ? null : 'palette');
        return;
      }
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const onMemories = ui.screen === 'memories';
      const selected = useMemories.getState().selectedId;
      switch (e.key) {
        case '?': ui.setOverlay('shortcuts'); break;
        case 'n': case 'N': ui.go('memories'); ui.setOverlay('new-memory'); break;
        case '/': focusSearch(); break;
        case '[': stepSpace(-1); break;
        case ']': stepSpace(1); break;
        case 'e': case 'E': if (onMemories && selected) ui.requestEditor('edit'); else return; break;
        case 'Delete': if (onMemories && selected) ui.requestEditor('delete'); else return; break;
        default: return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
