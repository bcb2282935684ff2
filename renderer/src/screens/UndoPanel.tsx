import { useState } from 'react';
import type { PendingAction } from '../../../contracts/types';
import { BandBadge } from '../components/BandBadge';
import { Dialog } from '../components/Dialog';
import { formatCountdown, secondsRemaining } from '../lib/countdown';
import { formatClock, formatDuration, formatWhen } from '../lib/format';
import { actionSentence, KIND_FILTERS } from '../lib/undo-words';
import { useNames } from '../hooks/useNames';
import { useNow } from '../hooks/useNow';
import { useSettings } from '../stores/settings';
import { useSpaces } from '../stores/spaces';
import { useUndo } from '../stores/undo';


export function UndoBadgeButton() {
  const count = useUndo((s) => s.actions.length);
  return (
    <button className="btn" type="button" onClick={() => useUndo.getState().setOpen(true)} aria-label={`Undo queue: ${count} pending`} data-testid="undo-badge">
      Undo queue <span className={`badge${count ? '' : ' zero'}`} data-testid="undo-count">{count}</span>
    </button>
  );
}

export function UndoPanel() {
  const actions = useUndo((s) => s.actions);
  const lastError = useUndo((s) => s.lastError);
  const removing = useUndo((s) => s.removing);
  const spaces = useSpaces((s) => s.spaces);
  const undoWindow = useSettings((s) => s.settings.undo_window_seconds) ?? 900;
  const names = useNames();
  const now = useNow();
  const [kind, setKind] = useState<PendingAction['kind'] | ''>('');
  const [space, setSpace] = useState('');
  const close = () => useUndo.getState().setOpen(false);
  const shown = actions.filter((a) => (!kind || a.kind === kind) && (!space || a.space_id === space || a.target_space_id === space));
  return (
    <Dialog title="Undo queue" onClose={close} testId="undo-panel" actions={<button className="btn" type="button" onClick={close}>Close</button>}>
      <p className="muted">Amber and Red shares, band changes, deletions and member removals wait here {formatDuration(undoWindow)} before anyone else sees them. Undo one before its time runs out and it never happened.</p>
      {actions.length === 0 ? (
        <p className="empty" data-testid="undo-empty">Nothing is waiting. When you share an Amber memory, lower a band, delete an Amber or Red memory or remove someone from a space, it waits here first, and you can take it back.</p>
      ) : (
        <>
          <div className="row filters-row" role="group" aria-label="Show">
            <label>Kind
              <select aria-label="Kind" value={kind} onChange={(e) => setKind(e.target.value as PendingAction['kind'] | '')}>
                <option value="">Everything</option>
                {KIND_FILTERS.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
              </select>
            </label>
            <label>Space
              <select aria-label="Space" value={space} onChange={(e) => setSpace(e.target.value)}>
                <option value="">Every space</option>
                {spaces.map((s) => <option key={s.space_id} value={s.space_id}>{s.name}</option>)}
              </select>
            </label>
          </div>
          {shown.length === 0 && <p className="empty">Nothing of that kind is waiting.</p>}
          <ul className="undo-list">
            {shown.map((a) => {
              const left = secondsRemaining(a.deadline, now);
              const by = names.person(a.actor);
              return (
                <li key={a.action_id} data-testid="undo-item">
                  {a.band && <BandBadge band={a.band} />}
                  <div className="grow">
                    <div data-testid="undo-summary"><strong>{actionSentence(a, names, removing[a.action_id])}</strong></div>
                    <div className="muted small">{by ? `by ${by} · ` : ''}asked {formatWhen(a.created_at)} · goes through at {formatClock(a.commit_at)}</div>
                    <details className="small">
                      <summary>Details</summary>
                      <dl className="ids">
                        <div><dt>Action</dt><dd className="mono">{a.action_id}</dd></div>
                        {a.memory_id && <div><dt>Memory</dt><dd className="mono">{a.memory_id}</dd></div>}
                        <div><dt>From</dt><dd className="mono">{a.space_id}</dd></div>
                        {a.target_space_id && <div><dt>Into</dt><dd className="mono">{a.target_space_id}</dd></div>}
                        <div><dt>By</dt><dd className="mono">{a.actor}</dd></div>
                      </dl>
                    </details>
                  </div>
                  <span className="countdown" role="timer" aria-label={`${left} seconds left`} data-testid="countdown">{left > 0 ? formatCountdown(left) : 'committing…'}</span>
                  <button className="btn" type="button" onClick={() => void useUndo.getState().undo(a.action_id)} disabled={left <= 0}>Undo</button>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {lastError && <p className="error" role="alert">{lastError}</p>}
    </Dialog>
  );
}
