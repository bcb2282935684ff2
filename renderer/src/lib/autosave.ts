/**
 * Autosave without React: a pause in editing saves the latest draft, one save at a time, and
 * nothing typed is dropped. The editor's hook (hooks/useAutosave.ts) is a thin wrapper; this part
 * is unit-tested with fake timers (tests/unit/renderer/autosave.test.ts).
 *
 *  - edit(draft): the newest draft. When it differs from what is saved, a save follows once edits
 *    pause for `delayMs` (each edit restarts the wait).
 *  - One save in flight at a time: a draft edited while a save runs is saved after it, again
 *    after `delayMs`.
 *  - flush(): cancels the wait and saves what is pending now (after the save in flight, if any);
 *    resolves true when nothing is left unsaved, false when a save failed.
 *  - A failed save keeps the draft pending and reports the error (status "error"); it is tried again
 *    on the next edit, on flush(), and by itself after a back-off (delayMs, doubling, at most
 *    `maxRetryMs`).
 *  - close(): flush() and from then on no timers (the editor went away); resume() undoes it.
 */

export type AutosaveStatus = 'saved' | 'pending' | 'saving' | 'error';

export interface AutosaveState {
  status: AutosaveStatus;
  /** what the last save threw, while its draft is still unsaved */
  error: unknown;
}

export interface AutosaveOptions<D> {
  delayMs: number;
  /**
   * Saves this draft; rejects to report an error. May resolve to an update of the draft, applied
   * to the latest one when the save ends (which holds what was typed meanwhile): e.g. fields the
   * host merged from elsewhere come in, fields typed during the save stay as typed.
   */
  save(draft: D): Promise<((latest: D) => D) | void>;
  /** true when the draft holds nothing the last save does not */
  isSaved(draft: D): boolean;
  onState?(state: AutosaveState): void;
  /** the longest wait between automatic retries after failures (default 30 s) */
  maxRetryMs?: number;
}

export interface Autosave<D> {
  edit(draft: D): void;
  flush(): Promise<boolean>;
  close(): Promise<boolean>;
  resume(): void;
  readonly state: AutosaveState;
}

export function createAutosave<D>(opts: AutosaveOptions<D>): Autosave<D> {
  const maxRetryMs = opts.maxRetryMs ?? 30_000;
  let latest: { draft: D } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<boolean> | null = null;
  let flushing: Promise<boolean> | null = null;
  let failures = 0;
  let closed = false;
  let state: AutosaveState = { status: 'saved', error: null };

  const setState = (status: AutosaveStatus, error: unknown = null) => {
    if (state.status === status && state.error === error) return;
    state = { status, error };
    opts.onState?.(state);
  };
  const dirty = () => latest !== null && !opts.isSaved(latest.draft);
  const cancel = () => { if (timer) { clearTimeout(timer); timer = null; } };
  const schedule = (ms: number) => {
    cancel();
    if (!closed) timer = setTimeout(() => { timer = null; if (!inFlight) void run(); }, ms);
  };

  /** One save of the latest draft; the only place a save starts. */
  function run(): Promise<boolean> {
    const sent = latest!;
    setState('saving');
    const p = (async () => {
      try {
        const rebase = await opts.save(sent.draft);
        if (rebase) latest = { draft: rebase(latest!.draft) };
        failures = 0;
        if (dirty()) { setState('pending'); if (!timer) schedule(opts.delayMs); }
        else setState('saved');
        return true;
      } catch (e) {
        failures++;
        setState('error', e);
        if (!timer) schedule(Math.min(opts.delayMs * 2 ** (failures - 1), maxRetryMs));
        return false;
      } finally {
        inFlight = null;
      }
    })();
    inFlight = p;
    return p;
  }

  async function flushNow(): Promise<boolean> {
    for (;;) {
      cancel();
      if (inFlight) { await inFlight; continue; } // the running save first, then look again
      if (!dirty()) {
        if (state.status !== 'saved') setState('saved');
        return true;
      }
      if (!(await run())) return false;
    }
  }

  return {
    edit(draft) {
      latest = { draft };
      if (!dirty()) {
        cancel();
        if (!inFlight) setState('saved'); // edited back to what is saved: nothing to send
        return;
      }
      schedule(opts.delayMs);
      if (!inFlight) setState('pending');
    },
    flush() {
      // calls during a flush join it (an unmount and a memory switch may both ask)
      flushing ??= flushNow().finally(() => { flushing = null; });
      return flushing;
    },
    close() {
      closed = true;
      return this.flush();
    },
    resume() {
      closed = false;
    },
    get state() {
      return state;
    },
  };
}

/** Every autosave on screen, so that locking the vault can save what is typed first. */
const open = new Set<{ flush(): Promise<boolean>; readonly state?: AutosaveState }>();

export function trackAutosave(a: { flush(): Promise<boolean>; readonly state?: AutosaveState }): () => void {
  open.add(a);
  return () => { open.delete(a); };
}

/** Saves every pending edit now; true when all of them were saved. */
export async function flushAutosaves(): Promise<boolean> {
  const results = await Promise.all([...open].map((a) => a.flush()));
  return results.every(Boolean);
}

/** Something typed on screen is not saved yet (waiting, saving, or its save failed). */
export function anyUnsavedEdit(): boolean {
  return [...open].some((a) => a.state !== undefined && a.state.status !== 'saved');
}
