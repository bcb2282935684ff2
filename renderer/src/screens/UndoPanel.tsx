import { useEffect, useState } from 'react';
import { BandBadge } from '../components/BandBadge';
import { Dialog } from '../components/Dialog';
import { formatCountdown, secondsRemaining } from '../lib/countdown';
import { formatWhen } from '../lib/format';
import { spaceById, useSpaces } from '../stores/spaces';
import { useUndo } from '../stores/undo';

/** Re-renders every quarter second while mounted: the countdowns are display only. */
function useNow(intervalMs = 250): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

export function UndoBadgeButton() {
  const count = useUndo((s) => s.actions.length);
  return (
    <button className="btn" type="button" onClick={() => useUndo.getState().setOpen(true)} aria-label={`Undo queue: ${count} pending`} data-testid="undo-badge">
      Undo queue <span className={`badge${count ? '' : ' zero'}`} data-testid="undo-count">{count}</span>
    </button>
  );
}

const KIND_LABEL = { share: 'Share', set_band: 'Band change', delete: 'Deletion', remove_member: 'Member removal' } as const;

export function UndoPanel() {
  const actions = useUndo((s) => s.actions);
  const lastError = useUndo((s) => s.lastError);
  const spaces = useSpaces((s) => s.spaces);
  const now = useNow();
  const close = () => useUndo.getState().setOpen(false);
  return (
    <Dialog title="Undo queue" onClose={close} testId="undo-panel" actions={<button className="btn" type="button" onClick={close}>Close</button>}>
      <p className="muted">Amber shares, band changes and deletions wait here before anyone else sees them. Undo one before its time runs out and it never happened.</p>
      {actions.length === 0 ? <p className="empty" data-testid="undo-empty">Nothing is waiting.</p> : (
        <ul className="undo-list">
          {actions.map((a) => {
            const left = secondsRemaining(a.deadline, now);
            const target = a.target_space_id ? spaceById(spaces, a.target_space_id)?.name ?? a.target_space_id : null;
            return (
              <li key={a.action_id} data-testid="undo-item">
                {a.band && <BandBadge band={a.band} />}
                <div className="grow">
                  <div><strong>{KIND_LABEL[a.kind]}</strong>{target ? ` into ${target}` : ''}</div>
                  <div className="muted" style={{ fontSize: 12 }}>{a.summary} · commits {formatWhen(a.commit_at)}</div>
                </div>
                <span className="countdown" role="timer" aria-label={`${left} seconds left`} data-testid="countdown">{left > 0 ? formatCountdown(left) : 'committing…'}</span>
                <button className="btn" type="button" onClick={() => void useUndo.getState().undo(a.action_id)} disabled={left <= 0}>Undo</button>
              </li>
            );
          })}
        </ul>
      )}
      {lastError && <p className="error" role="alert">{lastError}</p>}
    </Dialog>
  );
}
