import { useId, useState, type KeyboardEvent } from 'react';
import { Dialog } from '../components/Dialog';
import { filterCommands, MOD, useCommands } from '../hooks/useCommands';
import { useUi } from '../stores/ui';

/**
 * The command palette (Ctrl/Cmd-K): type to narrow, ↑/↓ to move, Enter to run, Escape to close.
 * A combobox over a listbox, so a screen reader follows the active command.
 */
export function CommandPalette() {
  const all = useCommands();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const shown = filterCommands(all, query);
  const at = Math.min(active, Math.max(0, shown.length - 1));
  const close = () => useUi.getState().setOverlay(null);
  const run = (i: number) => {
    const c = shown[i];
    if (!c) return;
    close();
    c.run();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); setActive((at + 1) % Math.max(1, shown.length)); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((at - 1 + shown.length) % Math.max(1, shown.length)); }
    else if (e.key === 'Enter') { e.preventDefault(); run(at); }
  };
  return (
    <Dialog title="Commands" onClose={close} testId="command-palette">
      <input
        type="text"
        role="combobox"
        className="palette-input"
        aria-label="Type a command"
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={shown[at] ? `${listId}-${shown[at].id}` : undefined}
        value={query}
        placeholder="Type a command or a space…"
        onChange={(e) => { setQuery(e.target.value); setActive(0); }}
        onKeyDown={onKeyDown}
        data-autofocus
      />
      <ul id={listId} role="listbox" aria-label="Commands" className="palette-list">
        {shown.map((c, i) => (
          <li key={c.id} id={`${listId}-${c.id}`} role="option" aria-selected={i === at} className={i === at ? 'active' : undefined}
            onMouseEnter={() => setActive(i)} onClick={() => run(i)}>
            <span>{c.label}</span>
            {c.keys && <kbd>{c.keys}</kbd>}
          </li>
        ))}
        {shown.length === 0 && <li role="option" aria-selected={false} aria-disabled="true" className="muted">No command matches “{query}”.</li>}
      </ul>
      <p className="muted small">{MOD}+K opens this anywhere; ? lists every shortcut.</p>
    </Dialog>
  );
}
