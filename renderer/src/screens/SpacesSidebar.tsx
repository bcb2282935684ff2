import { useState } from 'react';
import type { Space } from '../../../contracts/types';
import { pickSpace } from '../hooks/useCommands';
import { kindLabel } from '../lib/kinds';
import { useSpaces } from '../stores/spaces';
import { useUi } from '../stores/ui';
import { MembersDialog } from './MembersDialog';
import { NewSpaceDialog } from './NewSpaceDialog';
import { ProfileButton } from './ProfilesDialog';

/** drawn, not an emoji: emoji fonts are missing on many Linux desktops */
function PersonIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="5" r="3.2" fill="currentColor" />
      <path d="M2 15c0-3.3 2.7-5.5 6-5.5s6 2.2 6 5.5z" fill="currentColor" />
    </svg>
  );
}

export function SpacesSidebar() {
  const spaces = useSpaces((s) => s.spaces);
  const selected = useSpaces((s) => s.selected);
  const [creating, setCreating] = useState(false);
  const [membersOf, setMembersOf] = useState<Space | null>(null);

  const pick = (id: string | null) => pickSpace(id);
  const total = spaces.reduce((n, s) => n + (s.memory_count ?? 0), 0);

  return (
    <aside className="sidebar" aria-label="Spaces">
      <div className="row">
        <h2 className="grow" style={{ margin: 0 }}>Spaces</h2>
        <button className="btn small" type="button" onClick={() => setCreating(true)}>+ New space</button>
      </div>
      <ul data-testid="spaces">
        <li className="space-item">
          <button type="button" className="space-select" aria-current={selected === null} onClick={() => pick(null)}>
            <span>All spaces</span>
            <span className="kind">{total} memories</span>
          </button>
        </li>
        {spaces.map((s) => (
          <li key={s.space_id} className="space-item">
            <button type="button" className="space-select" aria-current={selected === s.space_id} onClick={() => pick(s.space_id)}>
              <span>{s.name}</span>
              <span className="kind">{kindLabel(s.kind)} · {s.memory_count ?? 0} · you: {s.my_role ?? '—'}</span>
            </button>
            <button type="button" className="btn small" aria-label={`Members of ${s.name}: ${s.members.length}`} title="Members and roles" onClick={() => setMembersOf(s)}>
              {s.members.length} <PersonIcon />
            </button>
          </li>
        ))}
      </ul>
      <div className="sidebar-foot">
        <ProfileButton />
        <button type="button" className="btn small" onClick={() => useUi.getState().setOverlay('import')} title="Evernote, Google Keep, Joplin, a Markdown folder, or a MemoryOS backup" data-testid="open-import">Import notes…</button>
        <p className="muted small">[ and ] switch spaces.</p>
        <button type="button" className="btn link small" onClick={() => useUi.getState().go('encryption')}>What is encrypted</button>
      </div>
      {creating && <NewSpaceDialog onClose={() => setCreating(false)} onCreated={(s) => { setCreating(false); pick(s.space_id); }} />}
      {membersOf && <MembersDialog spaceId={membersOf.space_id} onClose={() => setMembersOf(null)} />}
    </aside>
  );
}
