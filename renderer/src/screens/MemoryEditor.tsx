import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent as ReactDragEvent } from 'react';
import { Field } from '../components/Field';
import type { Band, Memory, MemoryType } from '../../../contracts/types';
import { ApiCallError, describeError } from '../api/errors';
import { BandBadge } from '../components/BandBadge';
import { BandSelector } from '../components/BandSelector';
import { ChipsField } from '../components/ChipsField';
import { Dialog } from '../components/Dialog';
import { Markdown, type AttachmentSlots, type WikiSlot } from '../components/Markdown';
import { useAutosave } from '../hooks/useAutosave';
import { useNames } from '../hooks/useNames';
import { dateInputToIso, formatClock, formatWhen, isoToDateInput } from '../lib/format';
import { pastedName } from '../lib/attachment-view';
import { attachmentMarkdown, insertBlock, removeAttachmentRefs, toggleTask } from '../lib/markdown';
import { useAttachments } from '../stores/attachments';
import { AttachButton, AttachmentChip, AttachmentImage, AttachmentsPanel } from './MemoryAttachments';
import { WikiLink } from './WikiLink';
import { MEMORY_TYPES } from '../lib/memory-types';
import { diffPatch, draftOf, mergeDraft, type Draft } from '../lib/patch';
import { bannerVerb } from '../lib/undo-words';
import { useMemories } from '../stores/memories';
import { useSettings } from '../stores/settings';
import { spaceById, useSpaces } from '../stores/spaces';
import { useSession } from '../stores/session';
import { useUi } from '../stores/ui';
import { pendingFor, useUndo } from '../stores/undo';
import { ShareDialog } from './ShareDialog';
import { useNow } from '../hooks/useNow';
import { formatCountdown, secondsRemaining } from '../lib/countdown';

const AUTOSAVE_DELAY_MS = 700;

/** `attachment:` images and links in the rendered text: the file itself, read through the store */
const ATTACHMENT_SLOTS: AttachmentSlots = {
  image: (id, alt) => <AttachmentImage id={id} alt={alt} />,
  file: (id, label) => <AttachmentChip id={id} label={label} />,
};

/** the files a drag or a paste carries (text dragged or pasted is left to the browser) */
const filesOf = (d: DataTransfer | null): File[] => (d ? Array.from(d.files) : []);

/** Tags, people and places already used in the memories this window has seen, for autocomplete. */
function useLabelSuggestions(): { tags: string[]; people: string[]; places: string[] } {
  const known = useMemories((s) => s.known);
  return useMemo(() => {
    const tags = new Set<string>(); const people = new Set<string>(); const places = new Set<string>();
    for (const k of Object.values(known)) {
      k.tags.forEach((t) => tags.add(t)); k.people.forEach((p) => people.add(p)); k.places.forEach((p) => places.add(p));
    }
    const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
    return { tags: sorted(tags), people: sorted(people), places: sorted(places) };
  }, [known]);
}

/** What waits in the undo window for this memory, on the memory itself, with its Undo. */
function PendingBanners({ memoryId }: { memoryId: string }) {
  const actions = useUndo((s) => s.actions);
  const names = useNames();
  const now = useNow(1000);
  const mine = pendingFor(actions, memoryId);
  if (!mine.length) return null;
  return (
    <>
      {mine.map((a) => {
        const left = secondsRemaining(a.deadline, now);
        return (
          <div key={a.action_id} className="pending-banner" role="status" data-testid="pending-banner">
            <span><strong>{bannerVerb(a, names)}</strong> · at {formatClock(a.commit_at)} <span className="muted">({left > 0 ? `${formatCountdown(left)} left` : 'going through…'})</span></span>
            <button className="btn small" type="button" disabled={left <= 0} onClick={() => void useUndo.getState().undo(a.action_id)}>Undo</button>
          </div>
        );
      })}
    </>
  );
}

/** A copy made by a share says where it came from, and opens the original when it is still readable. */
function CopiedFrom({ origin }: { origin: NonNullable<Memory['copied_from']> }) {
  const spaces = useSpaces((s) => s.spaces);
  const from = spaceById(spaces, origin.space_id);
  const openOriginal = async () => {
    try {
      await useMemories.getState().open(origin.memory_id);
      useMemories.getState().select(origin.memory_id);
    } catch (e) {
      useUi.getState().notify(describeError(e));
    }
  };
  return (
    <p className="muted small" data-testid="copied-from">
      Copied from {from ? from.name : 'a space you are not in'} on {formatWhen(origin.copied_at)}; later edits of either one do not reach the other.
      {' '}<button className="btn link small" type="button" onClick={() => void openOriginal()}>Open the original</button>
    </p>
  );
}

export function MemoryEditor({ memoryId }: { memoryId: string }) {
  const [memory, setMemory] = useState<Memory | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [gone, setGone] = useState<string | null>(null);
  const [sharing, setSharing] = useState(false);
  const [reauthFor, setReauthFor] = useState<Band | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [editing, setEditing] = useState(false);
  const [dropping, setDropping] = useState(false);
  /** where the caret was when "Attach…" was pressed (the picker takes the focus away) */
  const pickAt = useRef<number | null>(null);
  /** the memory as last saved or read: the draft is diffed against it */
  const base = useRef<Memory | null>(null);
  const latestDraft = useRef<Draft | null>(null);
  latestDraft.current = draft;
  const saving = useRef(false);
  const body = useRef<HTMLTextAreaElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const spaces = useSpaces((s) => s.spaces);
  const undoWindow = useSettings((s) => s.settings.undo_window_seconds);
  const me = useSession((s) => s.status?.member_id);
  const change = useMemories((s) => s.changes[memoryId]);
  const deleting = useMemories((s) => !!s.deleting[memoryId]);
  const deletionWaits = useUndo((s) => s.actions.some((a) => a.kind === 'delete' && a.memory_id === memoryId));
  const editorRequest = useUi((s) => s.editorRequest);
  const suggestions = useLabelSuggestions();
  const spaceOfMemory = memory?.space_id ?? null;
  // [[Title]] links look in this memory's space first
  const wiki = useMemo<WikiSlot>(() => (title, label) => <WikiLink title={title} label={label} spaceId={spaceOfMemory} />, [spaceOfMemory]);

  useEffect(() => {
    let live = true;
    setMemory(null); setDraft(null); setError(null); setGone(null); setEditing(false);
    // an edit whose save failed when this memory was left comes back, and is saved again
    const kept = useMemories.getState().takeUnsaved(memoryId);
    useMemories.getState().open(memoryId)
      .then((m) => {
        if (!live) return;
        if (kept && !m.deleted_at) {
          base.current = { ...m, ...kept.base, version: kept.baseVersion };
          setMemory(m);
          setDraft(kept.draft);
        } else {
          // in the trash now: the kept edit waits for the memory to be restored
          if (kept) useMemories.getState().keepUnsaved(memoryId, kept);
          base.current = m; setMemory(m); setDraft(draftOf(m));
        }
      })
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
      saving.current = true;
      try {
        const saved = await useMemories.getState().update(memoryId, base.current!.version, diffPatch(before, d));
        base.current = saved;
        // fields changed elsewhere (merged by the core) show up unless typed over locally meanwhile
        const rebase = (cur: Draft) => mergeDraft(before, cur, draftOf(saved));
        setDraft((cur) => (cur ? rebase(cur) : cur));
        setMemory(saved);
        setError(null);
        return rebase;
      } finally {
        saving.current = false;
      }
    },
  });
  const { flush } = saver;

  // leaving this memory (another memory, another screen, Lock) saves what was typed within the
  // delay at once; an edit that cannot be saved is kept and comes back when the memory is opened
  useEffect(() => () => {
    void flush().then((ok) => {
      const d = latestDraft.current;
      const b = base.current;
      if (ok || !d || !b || Object.keys(diffPatch(draftOf(b), d)).length === 0) return;
      useMemories.getState().keepUnsaved(memoryId, { draft: d, base: draftOf(b), baseVersion: b.version, title: d.title || b.title });
      useUi.getState().notify(`Your edit of “${d.title || b.title || 'a memory'}” is not saved yet: it is kept, and saved when you open that memory again.`);
    });
  }, [memoryId, flush]);

  // the memory changed on the host (an event named it): read it again. A change this editor
  // saved itself (the event's version is the one it holds) needs no reading.
  const reread = useCallback(async () => {
    try {
      const fresh = await useMemories.getState().open(memoryId);
      const b = base.current;
      const d = latestDraft.current;
      const clean = !b || !d || Object.keys(diffPatch(draftOf(b), d)).length === 0;
      setMemory(fresh);
      if (clean) { base.current = fresh; setDraft(draftOf(fresh)); }
      // else: what is typed stays; its save goes on the version it was typed on and the core merges
      if (fresh.deleted_at) setEditing(false);
    } catch (e) {
      if (e instanceof ApiCallError && e.code === 'NOT_FOUND') { setGone('This memory is gone: it was destroyed, or moved out of your spaces.'); return; }
      setError(describeError(e));
    }
  }, [memoryId]);
  const seenChange = useRef(change?.seq ?? 0);
  useEffect(() => {
    if (!change || change.seq === seenChange.current || !base.current) return;
    seenChange.current = change.seq;
    if (change.version !== undefined && change.version <= base.current.version) return;
    if (saving.current) {
      // our own save may be what changed it: look once it has answered
      const t = setInterval(() => {
        if (saving.current) return;
        clearInterval(t);
        if (!base.current || change.version === undefined || change.version > base.current.version) void reread();
      }, 50);
      return () => clearInterval(t);
    }
    void reread();
  }, [change, reread]);

  // shortcuts and the command palette ask the open editor to delete, share or edit
  const lastRequest = useRef(editorRequest?.seq ?? 0);
  useEffect(() => {
    if (!editorRequest || editorRequest.seq === lastRequest.current) return;
    lastRequest.current = editorRequest.seq;
    if (!memory || memory.deleted_at || memory.redacted) return;
    if (editorRequest.kind === 'delete' && !deletionWaits && !deleting) setConfirmDelete(true);
    if (editorRequest.kind === 'share') { void flush(); setSharing(true); }
    if (editorRequest.kind === 'edit') setEditing(true);
  }, [editorRequest, memory, deletionWaits, deleting, flush]);

  useEffect(() => { if (editing) body.current?.focus(); }, [editing]);

  if (gone) return <section className="editor-pane" aria-label="Memory editor" data-testid="editor"><p className="decision deny" role="alert">{gone}</p></section>;
  if (error && !memory) return <section className="editor-pane" aria-label="Memory editor"><p className="error" role="alert">{error}</p></section>;
  if (!memory || !draft) return <section className="editor-pane" aria-label="Memory editor" aria-busy="true"><p className="muted">Opening…</p></section>;

  const space = spaceById(spaces, memory.space_id);
  const readOnly = memory.redacted || !!memory.deleted_at;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => (d ? { ...d, [k]: v } : d));
  const isAuthor = memory.author === me;

  const changeBand = async (band: Band, passphrase?: string) => {
    setError(null);
    try {
      await flush();
      const r = await useMemories.getState().setBand(memory.memory_id, band, passphrase);
      if (r.status !== 'staged') { base.current = r.memory; setMemory(r.memory); }
      if (r.status === 'staged') useUi.getState().notify(`Lowering to ${band} waits until ${formatClock(r.pending?.commit_at)}: undo it on the memory or in the undo queue.`);
    } catch (e) {
      if (e instanceof ApiCallError && e.reasons.some((x) => x.code === 'REAUTH_REQUIRED') && !passphrase) { setReauthFor(band); return; }
      setError(describeError(e));
    }
  };

  const remove = async () => {
    setConfirmDelete(false);
    try {
      await flush(); // an edit typed just before goes with it (to the trash, where it can come back from)
      const r = await useMemories.getState().remove(memory);
      const title = memory.title || 'the memory';
      if (r.status === 'trashed') {
        useUi.getState().notify('Moved to the trash.', {
          label: 'Undo',
          async run() {
            try {
              await useMemories.getState().restore(memory.memory_id);
              useMemories.getState().select(memory.memory_id);
              useUi.getState().notify(`Restored “${title}”.`);
            } catch (e) { useUi.getState().notify(describeError(e)); }
          },
        });
      } else if (r.status === 'staged' && r.actionId) {
        const actionId = r.actionId;
        useUi.getState().notify(`Deleting “${title}” waits in the undo window.`, { label: 'Undo', async run() { if (await useUndo.getState().undo(actionId)) useUi.getState().notify('Deletion taken back.'); } });
      } else {
        useUi.getState().notify('Memory destroyed.');
      }
    } catch (e) { setError(describeError(e)); }
  };
  const restore = async () => {
    try { const m = await useMemories.getState().restore(memory.memory_id); base.current = m; setMemory(m); setDraft(draftOf(m)); }
    catch (e) { setError(describeError(e)); }
  };
  const onToggleTask = readOnly ? undefined : (line: number, checked: boolean) => set('body', toggleTask(draft.body, line, checked));

  // files dropped on the text or pasted while writing: each is added (attachment.add), then named
  // in the text where the caret was (an image shows inline, another file as a chip); the draft is
  // saved by autosave like any edit
  const place = (a: { attachment_id: string; name: string; mime: string }, at: number | null) =>
    setDraft((d) => (d ? { ...d, body: insertBlock(d.body, at ?? d.body.length, attachmentMarkdown(a)) } : d));
  const addFiles = (files: File[], at: number | null) => {
    for (const f of files) void useAttachments.getState().addFile(memory.memory_id, f).then((a) => { if (a) place(a, at); });
  };
  const caret = () => (editing && body.current ? body.current.selectionEnd : null);
  const canAttach = !readOnly && !memory.redacted;
  const dropProps = !canAttach ? {} : {
    onDragOver: (e: ReactDragEvent) => { if (Array.from(e.dataTransfer.types).includes('Files')) { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; setDropping(true); } },
    onDragLeave: (e: ReactDragEvent) => { if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropping(false); },
    onDrop: (e: ReactDragEvent) => {
      const files = filesOf(e.dataTransfer);
      setDropping(false);
      if (!files.length) return;
      e.preventDefault();
      addFiles(files, caret());
    },
  };

  const others = (space?.members ?? []).filter((m) => m.member_id !== memory.author);
  const saveText = { saved: 'All changes saved', pending: 'Unsaved changes…', saving: 'Saving…', error: 'Not saved' }[saver.status];
  const saveError = saver.error ? `Not saved: ${describeError(saver.error)} Your text is kept here and saved as soon as it can be.` : null;
  const shownError = error ?? saveError;
  const deleteRefused = deletionWaits || deleting;

  return (
    <section className="editor-pane writing" aria-label="Memory editor" data-testid="editor">
      <div className="editor-head">
        <span data-testid="editor-band"><BandBadge band={memory.band} /></span>
        <span className="muted">{space?.name ?? 'a space'} · updated {formatWhen(memory.updated_at)}</span>
        <span className="save-state" role="status" aria-live="polite" data-testid="save-state">{readOnly ? 'Read only' : saveText}</span>
        {!memory.deleted_at && (
          <span className="row">
            <button className="btn small" type="button" onClick={() => { void flush(); setSharing(true); }} disabled={memory.redacted}>Share…</button>
            <button className="btn small danger" type="button" onClick={() => setConfirmDelete(true)} disabled={deleteRefused}
              title={deleteRefused ? 'A deletion of this memory already waits: undo it first' : 'Delete (Delete key)'}>Delete</button>
          </span>
        )}
      </div>
      <PendingBanners memoryId={memory.memory_id} />
      {memory.deleted_at && (
        <p className="decision deny" data-testid="trashed-notice">In the trash since {formatWhen(memory.deleted_at)}: read only. <button className="btn small" type="button" onClick={restore}>Restore</button></p>
      )}
      {memory.redacted && <p className="muted">Parts of this memory are hidden from you by its band.</p>}
      {memory.copied_from && <CopiedFrom origin={memory.copied_from} />}
      <input className="title-input" type="text" aria-label="Title" value={draft.title} readOnly={readOnly} maxLength={500} placeholder="Untitled" onChange={(e) => set('title', e.target.value)} data-testid="edit-title" />
      <div className="meta-row">
        <Field label="Type"><select value={draft.type} disabled={readOnly} onChange={(e) => set('type', e.target.value as MemoryType)}>
            {MEMORY_TYPES.map((t) => <option key={t.type} value={t.type} title={t.hint}>{t.label}</option>)}
          </select></Field>
        <Field label="When it happened"><input type="date" value={isoToDateInput(draft.occurred_at)} readOnly={readOnly} onChange={(e) => set('occurred_at', dateInputToIso(e.target.value) ?? null)} /></Field>
        {draft.type === 'working' && (
          <Field label="Expires on"><input type="date" value={isoToDateInput(draft.expires_at)} readOnly={readOnly} onChange={(e) => set('expires_at', dateInputToIso(e.target.value) ?? null)} /></Field>
        )}
      </div>
      <div className={dropping ? 'body-area dropping' : 'body-area'} {...dropProps} data-testid="body-area">
        <div className="body-toolbar">
          <span className="muted small grow">{editing && !readOnly ? 'Markdown: # heading, **bold**, _italic_, - [ ] to-do, [link](https://…) · paste or drop files · Esc when done' : 'Text'}</span>
          {canAttach && <AttachButton onPress={() => { pickAt.current = caret(); }} onFiles={(files) => addFiles(files, pickAt.current)} />}
          {!readOnly && (editing
            ? <button className="btn small" type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => { setEditing(false); requestAnimationFrame(() => editButton.current?.focus()); }}>Done</button>
            : <button ref={editButton} className="btn small" type="button" onClick={() => setEditing(true)}>Edit text</button>)}
        </div>
        {editing && !readOnly ? (
          <textarea
            ref={body}
            className="body-input"
            aria-label="Text"
            value={draft.body}
            placeholder="Write here. Markdown works: # a heading, **bold**, - [ ] a to-do, [a link](https://…)"
            onChange={(e) => set('body', e.target.value)}
            onPaste={(e) => {
              // a pasted image comes as "image.png": each gets a name of its own, by the time it was pasted
              const files = filesOf(e.clipboardData).map((f) => (/^image\.\w+$/.test(f.name) ? new File([f], pastedName(f.type), { type: f.type }) : f));
              if (!files.length) return;
              e.preventDefault();
              addFiles(files, e.currentTarget.selectionEnd);
            }}
            onBlur={() => setEditing(false)}
            onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); setEditing(false); requestAnimationFrame(() => editButton.current?.focus()); } }}
            data-testid="edit-body"
          />
        ) : (
          <div className="body-view-wrap">
            <div
              className="body-view md"
              data-testid="body-view"
              onClick={(e) => {
                // a click on the text (not on a link or a checkbox) starts editing
                if (readOnly || (e.target as HTMLElement).closest('a, input, label, button, summary, .file-chip')) return;
                if (window.getSelection()?.toString()) return;
                setEditing(true);
              }}
            >
              {draft.body.trim()
                ? <Markdown source={draft.body} onToggleTask={onToggleTask} attachments={ATTACHMENT_SLOTS} wiki={wiki} />
                : <p className="muted">{readOnly ? 'No text.' : 'Nothing written yet. Press “Edit text” (or E) to write; Markdown works.'}</p>}
            </div>
          </div>
        )}
      </div>
      {!memory.redacted && (
        <AttachmentsPanel memoryId={memory.memory_id} readOnly={readOnly}
          onAdded={(a) => place(a, null)}
          onRemoved={(a) => setDraft((d) => (d ? { ...d, body: removeAttachmentRefs(d.body, a.attachment_id) } : d))} />
      )}
      <div className="chips-row">
        <ChipsField label="Tags" noun="tag" value={draft.tags} readOnly={readOnly} suggestions={suggestions.tags} placeholder="add a tag" onChange={(v) => set('tags', v)} />
        <ChipsField label="People" noun="person" value={draft.people} readOnly={readOnly} suggestions={suggestions.people} placeholder="add a person" onChange={(v) => set('people', v)} />
        <ChipsField label="Places" noun="place" value={draft.places} readOnly={readOnly} suggestions={suggestions.places} placeholder="add a place" onChange={(v) => set('places', v)} />
      </div>
      {memory.band === 'RED' && isAuthor && others.length > 0 && (
        <fieldset className="band-picker">
          <legend>Who else may read it</legend>
          {others.map((o) => (
            <label key={o.member_id} className="row">
              <input type="checkbox" checked={draft.recipients.includes(o.member_id)} disabled={readOnly}
                onChange={(e) => set('recipients', e.target.checked ? [...draft.recipients, o.member_id] : draft.recipients.filter((x) => x !== o.member_id))} />
              {o.name}
            </label>
          ))}
        </fieldset>
      )}
      {!memory.redacted && !memory.deleted_at && (
        <BandSelector
          compact
          legend="Band"
          value={memory.band}
          undoWindowSeconds={undoWindow}
          disabled={memory.band === 'BLACK' ? { GREEN: 'a Black memory stays Black here', AMBER: 'a Black memory stays Black here', RED: 'a Black memory stays Black here' } : { BLACK: 'only when a memory is written' }}
          onChange={(b) => void changeBand(b)}
        />
      )}
      {shownError && <p className="error" role="alert" data-testid="editor-error">{shownError}</p>}
      {sharing && <ShareDialog memory={memory} onClose={() => setSharing(false)} />}
      {confirmDelete && (
        <Dialog title="Delete this memory?" onClose={() => setConfirmDelete(false)} actions={<>
          <button className="btn" type="button" onClick={() => setConfirmDelete(false)} data-autofocus>Keep it</button>
          <button className="btn danger" type="button" onClick={() => void remove()}>{memory.band === 'BLACK' ? 'Destroy for good' : 'Delete'}</button>
        </>}>
          <p>{memory.band === 'BLACK' ? 'A Black memory is crypto-shredded: it cannot be restored.' : memory.band === 'GREEN' ? 'It goes to the trash; you can restore it.' : 'The deletion waits in the undo window (you can undo it there or on the memory), then the memory goes to the trash.'}</p>
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
