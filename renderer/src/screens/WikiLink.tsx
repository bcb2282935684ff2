import { useState, type ReactNode } from 'react';
import { describeError } from '../api/errors';
import { useMemories } from '../stores/memories';
import { useUi } from '../stores/ui';

/**
 * `[[Title]]` in a memory's text (an imported Obsidian or Joplin note links its notes so): a link
 * that opens the memory of that title, looked up when it is followed (titles are encrypted: the
 * search index is what knows them).
 */
export function WikiLink({ title, label, spaceId }: { title: string; label: ReactNode; spaceId: string | null }) {
  const [busy, setBusy] = useState(false);
  const follow = async () => {
    setBusy(true);
    try {
      const id = await useMemories.getState().findByTitle(title, spaceId);
      if (id) useMemories.getState().select(id);
      else useUi.getState().notify(`There is no memory called “${title}” here yet.`);
    } catch (e) {
      useUi.getState().notify(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" className="btn link md-wiki" aria-busy={busy || undefined} title={`Open “${title}”`} onClick={() => void follow()} data-testid="wiki-link">
      {label}
    </button>
  );
}
