import { useState } from 'react';
import { useMemories } from '../stores/memories';
import { MemoryEditor } from './MemoryEditor';
import { MemoryList } from './MemoryList';
import { NewMemoryDialog } from './NewMemoryDialog';

export function MemoriesScreen() {
  const selectedId = useMemories((s) => s.selectedId);
  const [creating, setCreating] = useState(false);
  // No re-read on coming back from another screen: memories that arrived by sync meanwhile were
  // announced by SYNC_APPLIED, and live-events.ts has already read the list and the spaces again.
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
