import { BandBadge } from '../components/BandBadge';
import { BANDS, bandInfo } from '../lib/bands';
import { useMemories } from '../stores/memories';
import { useSession } from '../stores/session';
import { useSettings } from '../stores/settings';
import { useSpaces } from '../stores/spaces';
import { useUi } from '../stores/ui';
import { MemoryEditor } from './MemoryEditor';
import { MemoryList } from './MemoryList';
import { NewMemoryDialog } from './NewMemoryDialog';

/** The first screen of a new vault: what spaces and bands are, before the first memory. */
function Welcome() {
  const name = useSession((s) => s.status?.member_name);
  const undoWindow = useSettings((s) => s.settings.undo_window_seconds);
  return (
    <section className="editor-pane welcome" aria-labelledby="welcome-title" data-testid="welcome">
      <h2 id="welcome-title">Welcome{name ? `, ${name}` : ''}</h2>
      <p>MemoryOS keeps a family’s memories — moments, facts like allergies or the wifi, how-tos, short-lived notes — encrypted on this device, and syncs them only to the devices and people you choose.</p>
      <h3>Spaces: who shares what</h3>
      <p>A space is a shelf of memories and the people who share it. You start with <strong>Personal</strong>, which is just you. Make a shared space for your household with “+ New space”, add people to it, and share memories into it.</p>
      <h3>Bands: how private a memory is</h3>
      <p>Every memory has a band, chosen when you write it, that decides who can read it and what sharing it takes:</p>
      <ul className="welcome-bands">
        {BANDS.map((b) => { const info = bandInfo(b, undoWindow); return <li key={b}><BandBadge band={b} /> <strong>{info.name.split(' · ')[1]}</strong> — {info.short} <span className="muted">{info.details[1]}</span></li>; })}
      </ul>
      <p>Sharing or deleting anything above Green waits in the <strong>undo window</strong> first, so you can take it back.</p>
      <h3>Your recovery kit</h3>
      <p>If you forget your passphrase, the recovery key you just saved is the only way back in. Nobody, not even the makers of MemoryOS, can open your vault without one of the two.</p>
      <div className="row" style={{ flexWrap: 'wrap', marginTop: 10 }}>
        <button className="btn primary" type="button" onClick={() => useUi.getState().setOverlay('new-memory')}>Write your first memory</button>
        <button className="btn" type="button" onClick={() => useUi.getState().setOverlay('import')}>Bring notes in from another app</button>
        <button className="btn" type="button" onClick={() => useUi.getState().go('encryption')}>What is encrypted</button>
        <button className="btn" type="button" onClick={() => useUi.getState().setOverlay('shortcuts')}>Keyboard shortcuts</button>
      </div>
    </section>
  );
}

export function MemoriesScreen() {
  const selectedId = useMemories((s) => s.selectedId);
  const empty = useSpaces((s) => s.spaces.length > 0 && s.spaces.every((x) => (x.memory_count ?? 0) === 0));
  const none = useMemories((s) => s.rows.length === 0 && !s.loading);
  const creating = useUi((s) => s.overlay === 'new-memory');
  // No re-read on coming back from another screen: memories that arrived by sync meanwhile were
  // announced by SYNC_APPLIED, and live-events.ts has already read the list and the spaces again.
  return (
    <div className="memories">
      <MemoryList onNew={() => useUi.getState().setOverlay('new-memory')} />
      {selectedId
        ? <MemoryEditor key={selectedId} memoryId={selectedId} />
        : empty && none
          ? <Welcome />
          : <section className="editor-pane" aria-label="Memory editor"><p className="empty">Choose a memory to read or edit it, or press “+ New memory” (N). {'Ctrl+K'} finds any command; ? lists the shortcuts.</p></section>}
      {creating && <NewMemoryDialog onClose={() => useUi.getState().setOverlay(null)} />}
    </div>
  );
}
