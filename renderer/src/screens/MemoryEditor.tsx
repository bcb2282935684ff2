import { useEffect, useRef, useState } from 'react';
import { Field } from '../components/Field';
import type { Band, Memory, MemoryType } from '../../../contracts/types';
import { ApiCallError, describeError } from '../api/errors';
import { BandBadge } from '../components/BandBadge';
import { BandSelector } from '../components/BandSelector';
import { Dialog } from '../components/Dialog';
import { useAutosave } from '../hooks/useAutosave';
import { dateInputToIso, formatWhen, isoToDateInput, parseList } from '../lib/format';
import { MEMORY_TYPES } from '../lib/memory-types';
import { diffPatch, draftOf, mergeDraft, type Draft } from '../lib/patch';
import { useMemories } from '../stores/memories';
import { useSettings } from '../stores/settings';
import { spaceById, useSpaces } from '../stores/spaces';
import { useSession } from '../stores/session';
import { useUi } from '../stores/ui';
import { ShareDialog } from './ShareDialog';

const AUTOSAVE_DELAY_MS = 700;

/** A list field edited as comma-separated text; parsed on every change, shown as typed. */
function ListField({ label, value, onChange, readOnly }: { label: string; value: string[]; onChange(v: string[]): void; readOnly: boolean }) {
  const [text, setText] = useState(value.join(', '));
  const last = useRef(value);
  useEffect(() => {
    if (JSON.stringify(last.current) !== JSON.stringify(value) && JSON.stringify(parseList(text)) !== JSON.stringify(value)) setText(value.join(', '));
    last.current = value;
  }, [value]);
  return (
    <Field label={label}><input type="text" value={text} readOnly={readOnly} placeholder="comma, separated" onChange={(e) => { setText(e.target.value); onChange(parseList(e.target.value)); }} /></Field>
  );
}

export function MemoryEditor({ memoryId }: { memoryId: string }) {
  const [memory, setMemory] = useState<Memory | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sharing, setSharing] = useState(false);
  const [reauthFor, setReauthFor] = useState<Band | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  /** the memory as last saved or read: the draft is diffed against it */
  const base = useRef<Memory | null>(null);
  const spaces = useSpaces((s) => s.spaces);
  const undoWindow = useSettings((s) => s.settings.undo_window_seconds);
  const me = useSession((s) => s.status?.member_id);

  useEffect(() => {
    let live = true;
    setMemory(null); setDraft(null); setError(null);
    useMemories.getState().open(memoryId)
      .then((m) => { if (live) { base.current = m; setMemory(m); setDraft(draftOf(m)); } })
      .catch((e) => { if (live) setError(describeError(e)); });
    return () => { live = false; };
  }, [memoryId]);

  // autosave (hooks/useAutosave.ts): a pause in typing sends only the changed fields, on the
  // version they were made on; one save at a time; what is typed during a save is saved after it
  const saver = useAutosave<Draft>(draft, {
    delayMs: AUTOSAVE_DELAY_MS,
    isSaved: (d) => !base.current || Object.keys(diffPatch(draftOf(base.current), d)).length === 0,
    async save(d) {
      const before = draftOf(base.current!);
      const saved = await useMemories.getState().update(memoryId, base.current!.version, diffPatch(before, d));
      base.current = saved;
      // fields changed elsewhere (merged by the core) show up unless typed over locally meanwhile
      const rebase = (cur: Draft) => mergeDraft(before, cur, draftOf(saved));
      setDraft((cur) => (cur ? rebase(cur) : cur));
      setMemory(saved);
      setError(null);
      return rebase;
    },
  });
  // leaving this memory (another memory, another screen, Lock) saves what was typed within the
  // delay at once instead of dropping it
  const { flush } = saver;
  useEffect(() => () => {
    void flush().then((ok) => { if (!ok) useUi.getState().notify('Your last edit of a memory could not be saved.'); });
  }, [memoryId, flush]);

  if (error && !memory) return <section className="editor-pane"><p className="error" role="alert">{error}</p></section>;
  if (!memory || !draft) return <section className="editor-pane" aria-busy="true"><p className="muted">Opening…</p></section>;

  const space = spaceById(spaces, memory.space_id);
  const readOnly = memory.redacted || !!memory.deleted_at;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => (d ? { ...d, [k]: v } : d));
  const isAuthor = memory.author === me;

  const changeBand = async (band: Band, passphrase?: string) => {
    setError(null);
    try {
      const r = await useMemories.getState().setBand(memory.memory_id, band, passphrase);
      base.current = r.memory;
      setMemory(r.memory);
      if (r.status === 'staged') useUi.getState().notify(`Band change to ${band} waits in the undo queue.`);
    } catch (e) {
      if (e instanceof ApiCallError && e.reasons.some((x) => x.code === 'REAUTH_REQUIRED') && !passphrase) { setReauthFor(band); return; }
      setError(describeError(e));
    }
  };

  const remove = async () => {
    setConfirmDelete(false);
    try {
      await flush(); // an edit typed just before goes with it (to the trash, where it can come back from)
      const status = await useMemories.getState().remove(memory);
      useUi.getState().notify(status === 'staged' ? 'Deletion waits in the undo queue.' : status === 'shredded' ? 'Memory destroyed.' : 'Moved to the trash.');
    } catch (e) { setError(describeError(e)); }
  };
  const restore = async () => {
    try { const m = await useMemories.getState().restore(memory.memory_id); base.current = m; setMemory(m); setDraft(draftOf(m)); }
    catch (e) { setError(describeError(e)); }
  };

  const others = (space?.members ?? []).filter((m) => m.member_id !== memory.author);
  const saveText = { saved: 'All changes saved', pending: 'Unsaved changes…', saving: 'Saving…', error: 'Not saved' }[saver.status];
  const shownError = error ?? (saver.error ? describeError(saver.error) : null);

  return (
    <section className="editor-pane" aria-label="Memory editor" data-testid="editor">
      <div className="editor-head">
        <BandBadge band={memory.band} />
        <span className="muted">{space?.name ?? memory.space_id} · v{memory.version} · updated {formatWhen(memory.updated_at)}</span>
        <span className="save-state" role="status" aria-live="polite" data-testid="save-state">{readOnly ? 'Read only' : saveText}</span>
      </div>
      {memory.deleted_at && (
        <p className="decision deny">In the trash since {formatWhen(memory.deleted_at)}. <button className="btn small" type="button" onClick={restore}>Restore</button></p>
      )}
      {memory.redacted && <p className="muted">Parts of this memory are hidden from you by its band.</p>}
      <Field label="Title"><input type="text" value={draft.title} readOnly={readOnly} maxLength={500} onChange={(e) => set('title', e.target.value)} data-testid="edit-title" /></Field>
      <div className="two">
        <Field label="Type"><select value={draft.type} disabled={readOnly} onChange={(e) => set('type', e.target.value as MemoryType)}>
            {MEMORY_TYPES.map((t) => <option key={t.type} value={t.type}>{t.label} — {t.hint}</option>)}
          </select></Field>
        <Field label="When it happened"><input type="date" value={isoToDateInput(draft.occurred_at)} readOnly={readOnly} onChange={(e) => set('occurred_at', dateInputToIso(e.target.value) ?? null)} /></Field>
      </div>
      <Field label="Text"><textarea rows={6} value={draft.body} readOnly={readOnly} onChange={(e) => set('body', e.target.value)} data-testid="edit-body" /></Field>
      <div className="two">
        <ListField label="Tags" value={draft.tags} readOnly={readOnly} onChange={(v) => set('tags', v)} />
        <ListField label="People" value={draft.people} readOnly={readOnly} onChange={(v) => set('people', v)} />
      </div>
      <div className="two">
        <ListField label="Places" value={draft.places} readOnly={readOnly} onChange={(v) => set('places', v)} />
        {draft.type === 'working' && (
          <Field label="Expires on"><input type="date" value={isoToDateInput(draft.expires_at)} readOnly={readOnly} onChange={(e) => set('expires_at', dateInputToIso(e.target.value) ?? null)} /></Field>
        )}
      </div>
      {memory.band === 'RED' && isAuthor && others.length > 0 && (
        <fieldset className="band-picker">
          <legend>Who else may read it</legend>
          {others.map((o) => (
            <label key={o.member_id} className="row">
              <input type="checkbox" checked={draft.recipients.includes(o.member_id)} disabled={readOnly}
                onChange={(e) => set('recipients', e.target.checked ? [...draft.recipients, o.member_id] : draft.recipients.filter((x) => x !== o.member_id))} />
              {o.name} <span className="muted">({o.role})</span>
            </label>
          ))}
        </fieldset>
      )}
      {!memory.redacted && !memory.deleted_at && (
        <BandSelector
          legend="Band (changes apply through the policy; lowering may wait in the undo window)"
          value={memory.band}
          undoWindowSeconds={undoWindow}
          disabled={memory.band === 'BLACK' ? { GREEN: 'a Black memory stays Black here', AMBER: 'a Black memory stays Black here', RED: 'a Black memory stays Black here' } : { BLACK: 'only when a memory is written' }}
          onChange={(b) => void changeBand(b)}
        />
      )}
      {shownError && <p className="error" role="alert" data-testid="editor-error">{shownError}</p>}
      {!memory.deleted_at && (
        <div className="row">
          <button className="btn" type="button" onClick={() => { void flush(); setSharing(true); }} disabled={memory.redacted}>Share…</button>
          <button className="btn danger" type="button" onClick={() => setConfirmDelete(true)}>Delete</button>
        </div>
      )}
      {sharing && <ShareDialog memory={memory} onClose={() => setSharing(false)} />}
      {confirmDelete && (
        <Dialog title="Delete this memory?" onClose={() => setConfirmDelete(false)} actions={<>
          <button className="btn" type="button" onClick={() => setConfirmDelete(false)}>Keep it</button>
          <button className="btn danger" type="button" onClick={() => void remove()}>{memory.band === 'BLACK' ? 'Destroy for good' : 'Delete'}</button>
        </>}>
          <p>{memory.band === 'BLACK' ? 'A Black memory is crypto-shredded: it cannot be restored.' : memory.band === 'GREEN' ? 'It goes to the trash; you can restore it.' : 'The deletion waits in the undo window, then the memory goes to the trash.'}</p>
        </Dialog>
      )}
      {reauthFor && <ReauthDialog band={reauthFor} onCancel={() => setReauthFor(null)} onSubmit={(p) => { const b = reauthFor; setReauthFor(null); void changeBand(b, p); }} />}
    </section>
  );
}

function ReauthDialog({ band, onCancel, onSubmit }: { band: Band; onCancel(): void; onSubmit(passphrase: string): void }) {
  const [p, setP] = useState('');
  return (
    <Dialog title="Confirm with your passphrase" onClose={onCancel} actions={<>
      <button className="btn" type="button" onClick={onCancel}>Cancel</button>
      <button className="btn primary" type="submit" form="reauth-form" disabled={!p}>Lower to {band}</button>
    </>}>
      <form id="reauth-form" onSubmit={(e) => { e.preventDefault(); if (p) onSubmit(p); }}>
        <p>Lowering a band makes the memory readable by more people, so the policy asks for your passphrase again.</p>
        <Field label="Passphrase"><input type="password" value={p} onChange={(e) => setP(e.target.value)} data-autofocus autoComplete="current-password" /></Field>
      </form>
    </Dialog>
  );
}
