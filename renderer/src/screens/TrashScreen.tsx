import { useEffect, useState } from 'react';
import { describeError } from '../api/errors';
import { BandBadge } from '../components/BandBadge';
import { formatWhen } from '../lib/format';
import { typeLabel } from '../lib/memory-types';
import { useSettings } from '../stores/settings';
import { spaceById, useSpaces } from '../stores/spaces';
import { useTrash } from '../stores/trash';
import { useUi } from '../stores/ui';

/**
 * The trash (SPEC §8): deleted memories, most recent first, each restorable into its space. The
 * retention setting is said as what it does (the core's scheduler erases what waited longer);
 * emptying the trash at once is in the Privacy center, with its typed confirmation.
 */
export function TrashScreen() {
  const rows = useTrash((s) => s.rows);
  const loading = useTrash((s) => s.loading);
  const error = useTrash((s) => s.error);
  const days = useSettings((s) => s.settings.trash_retention_days) ?? 30;
  const spaces = useSpaces((s) => s.spaces);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => useTrash.getState().watch(), []);

  const restore = async (id: string, title: string) => {
    setBusy(id); setProblem(null);
    try {
      await useTrash.getState().restore(id);
      useUi.getState().notify(`Restored “${title || 'the memory'}” into its space.`);
    } catch (e) { setProblem(describeError(e)); } finally { setBusy(null); }
  };

  return (
    <section className="screen" aria-labelledby="trash-title">
      <h1 id="trash-title">Trash</h1>
      <p data-testid="trash-retention">
        The trash keeps deleted memories for <strong>{days} days</strong> (a setting): after that they are erased for good, here and on your other devices. To empty it now, or to change how long it keeps them, go to the Privacy center.
      </p>
      {(error || problem) && <p className="error" role="alert">{problem ?? error}</p>}
      {rows.length === 0
        ? (!loading || error) && <p className="empty" data-testid="trash-empty">The trash is empty. A Green memory you delete comes here at once, an Amber or Red one when its undo window ends; from here you can restore it into its space.</p>
        : (
          <ul className="trash-list" data-testid="trash-list">
            {rows.map((m) => {
              const title = m.redacted && !m.title ? '' : m.title;
              return (
                <li key={m.memory_id} data-testid="trash-item">
                  <BandBadge band={m.band} />
                  <div className="grow">
                    <div className="title">{title || <em>{m.redacted ? `Hidden ${m.band} memory` : '(untitled)'}</em>}</div>
                    <div className="muted small">{typeLabel(m.type)} · {spaceById(spaces, m.space_id)?.name ?? 'a space'} · deleted {formatWhen(m.deleted_at)}</div>
                  </div>
                  <button className="btn" type="button" disabled={busy === m.memory_id} aria-label={`Restore ${title || 'this memory'}`} onClick={() => void restore(m.memory_id, title)}>Restore</button>
                </li>
              );
            })}
          </ul>
        )}
    </section>
  );
}
