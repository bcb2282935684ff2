import { useEffect, useState } from 'react';
import { useMemories } from '../stores/memories';
import { useSpaces } from '../stores/spaces';
import { MemoryEditor } from './MemoryEditor';
import { MemoryList } from './MemoryList';
import { NewMemoryDialog } from './NewMemoryDialog';

export function MemoriesScreen() {
  const selectedId = useMemories((s) => s.selectedId);
  const [creating, setCreating] = useState(false);
  // Memories that arrived by sync while another screen was open come with no event: read the top
  // of the list again on coming back (at unlock the Shell's first load is still running: skipped).
  useEffect(() => {
    if (useMemories.getState().loading || !useSpaces.getState().spaces.length) return;
    void useMemories.getState().refreshTop();
    void useSpaces.getState().load().catch(() => {});
  }, []);
  return (
    <div className="memories">
      <MemoryList onNew={() => setCreating(true)} />
      {selectedId
        ? <MemoryEditor key={selectedId} memoryId={selectedId} />
        : <section className="editor-pane" aria-label="Memory editor"><p className="empty">Choose a memory to read or edit it, or press “New memory”.</p></section>}
      {creating && <NewMemoryDialog onClose={() => setCreating(false)} />}
    </div>
  );
}
