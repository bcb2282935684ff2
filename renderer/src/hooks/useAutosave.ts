import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { createAutosave, trackAutosave, type AutosaveState } from '../lib/autosave';

export interface UseAutosaveOptions<D> {
  delayMs: number;
  /** saves the draft; may resolve to an update of the latest draft (see lib/autosave.ts) */
  save(draft: D): Promise<((latest: D) => D) | void>;
  isSaved(draft: D): boolean;
}

/**
 * Autosaves `draft` (null: nothing loaded yet) while the component is mounted; the logic is in
 * lib/autosave.ts. The latest `save` and `isSaved` are used, so they may close over props and
 * refs. flush() saves what is pending at once: call it before the draft goes away. While mounted
 * the autosave is tracked, so locking the vault saves it first; on unmount it is closed (what is
 * pending is saved, no timers remain).
 */
export function useAutosave<D>(draft: D | null, opts: UseAutosaveOptions<D>): AutosaveState & { flush(): Promise<boolean> } {
  const latestOpts = useRef(opts);
  useLayoutEffect(() => { latestOpts.current = opts; });
  const [state, setState] = useState<AutosaveState>({ status: 'saved', error: null });
  const [saver] = useState(() => createAutosave<D>({
    delayMs: opts.delayMs,
    save: (d) => latestOpts.current.save(d),
    isSaved: (d) => latestOpts.current.isSaved(d),
    onState: setState,
  }));

  useEffect(() => {
    if (draft !== null) saver.edit(draft);
  }, [saver, draft]);

  useEffect(() => {
    saver.resume(); // StrictMode mounts twice in development: the first cleanup closed it
    const untrack = trackAutosave(saver);
    return () => { void saver.close().finally(untrack); }; // tracked until saved: a Lock right after still waits for it
  }, [saver]);

  const flush = useCallback(() => saver.flush(), [saver]);
  return { ...state, flush };
}
