import { Dialog } from '../components/Dialog';
import { MOD } from '../hooks/useCommands';
import { useUi } from '../stores/ui';

/** The shortcuts, one table (the `?` key, or the palette's "Keyboard shortcuts"). */
export const SHORTCUTS: { keys: string[]; what: string }[] = [
  { keys: [`${MOD}+K`], what: 'Open the command palette: every action and screen by name' },
  { keys: ['N'], what: 'New memory' },
  { keys: ['/'], what: 'Search memories' },
  { keys: ['E'], what: 'Edit the text of the open memory' },
  { keys: ['Delete'], what: 'Delete the open memory (asks first)' },
  { keys: ['[', ']'], what: 'Previous or next space' },
  { keys: ['↑', '↓', 'Enter'], what: 'Move through the memory list and open one' },
  { keys: ['Esc'], what: 'Close a dialog; stop editing the text' },
  { keys: ['?'], what: 'This list' },
];

export function ShortcutsSheet() {
  const close = () => useUi.getState().setOverlay(null);
  return (
    <Dialog title="Keyboard shortcuts" onClose={close} testId="shortcuts-sheet" actions={<button className="btn" type="button" onClick={close} data-autofocus>Close</button>}>
      <p className="muted">Single keys work when the caret is not in a text field. Everything else is reachable with Tab, Space and Enter.</p>
      <table className="shortcuts">
        <thead><tr><th scope="col">Keys</th><th scope="col">What they do</th></tr></thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.what}>
              <td>{s.keys.map((k, i) => <span key={k}>{i > 0 && ' '}<kbd>{k}</kbd></span>)}</td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
