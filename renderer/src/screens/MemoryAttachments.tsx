import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { Attachment } from '../../../contracts/types';
import { describeError } from '../api/errors';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { bytesOfBase64, INLINE_MAX_BYTES, INLINE_MAX_MB, openableType } from '../lib/attachment-view';
import { isAbsolutePath } from '../lib/import-view';
import { formatBytes, percent } from '../lib/privacy-view';
import { useAttachments, type Upload } from '../stores/attachments';
import { useMemories } from '../stores/memories';
import { useSession } from '../stores/session';
import { useUi } from '../stores/ui';

/** the bytes behind a data: URL the store holds, as a Blob of the given type */
function blobOf(dataUrl: string, type: string): Blob {
  return new Blob([bytesOfBase64(dataUrl.slice(dataUrl.indexOf(',') + 1)) as BlobPart], { type });
}

/** Opens a file in a tab (types that run no script only) or saves it through the browser's download. */
async function openOrSave(a: Attachment, how: 'open' | 'save'): Promise<void> {
  const url = await useAttachments.getState().fetch(a.attachment_id);
  const type = how === 'open' ? openableType(a.mime) : null;
  const obj = URL.createObjectURL(blobOf(url, type ?? 'application/octet-stream'));
  if (type) window.open(obj, '_blank', 'noopener');
  else {
    const link = document.createElement('a');
    link.href = obj; link.download = a.name; link.rel = 'noopener';
    document.body.appendChild(link); link.click(); link.remove();
  }
  // the tab or the download has the bytes by then; the URL need not outlive them
  setTimeout(() => URL.revokeObjectURL(obj), 60_000);
}

/** `![alt](attachment:<id>)` in the text: the image itself, read through the API when shown. */
export function AttachmentImage({ id, alt }: { id: string; alt: string }) {
  const bytes = useAttachments((s) => s.bytes[id]);
  const meta = useAttachments((s) => s.known[id]);
  useEffect(() => { if (!bytes) void useAttachments.getState().fetch(id).catch(() => {}); }, [id, bytes]);
  const name = alt || meta?.name || 'an image';
  if (bytes?.status === 'ready') return <img className="md-attachment-image" src={bytes.url} alt={name} data-testid="attachment-image" />;
  if (bytes?.status === 'error') return <span className="md-image" role="note">Image “{name}” not shown: {bytes.error}</span>;
  return <span className="md-image" aria-busy="true">Opening image “{name}”…</span>;
}

/** A file: its name and size, Open (when that is safe), Save, and Save to a path for large ones. */
export function AttachmentChip({ id, label, onRemove }: { id: string; label?: ReactNode; onRemove?(a: Attachment): void }) {
  const a = useAttachments((s) => s.known[id]);
  const [busy, setBusy] = useState(false);
  const [savingTo, setSavingTo] = useState(false);
  // Electron opens no new window, ever (electron/security/navigation.ts): there a file is saved
  const canOpen = useSession((s) => s.door) !== 'ipc';
  if (!a) return <span className="file-chip missing" data-testid="file-chip">{label ?? 'a file'} <span className="muted small">(not with this memory)</span></span>;
  const inline = a.size <= INLINE_MAX_BYTES;
  const act = (how: 'open' | 'save') => {
    setBusy(true);
    openOrSave(a, how).catch((e) => useUi.getState().notify(describeError(e))).finally(() => setBusy(false));
  };
  return (
    <span className="file-chip" data-testid="file-chip">
      <span className="file-name">{label ?? a.name}</span>
      <span className="muted small">{formatBytes(a.size)}</span>
      {inline && canOpen && openableType(a.mime) && <button className="btn small" type="button" disabled={busy} onClick={() => act('open')} aria-label={`Open ${a.name}`}>Open</button>}
      {inline
        ? <button className="btn small" type="button" disabled={busy} onClick={() => act('save')} aria-label={`Save ${a.name}`}>Save</button>
        : <button className="btn small" type="button" onClick={() => setSavingTo(true)} aria-label={`Save ${a.name} to a folder`}>Save to…</button>}
      {onRemove && <button className="btn small" type="button" onClick={() => onRemove(a)} aria-label={`Remove ${a.name}`}>Remove</button>}
      {/* the chip may sit inside a paragraph of the text: the dialog goes to the body */}
      {savingTo && createPortal(<SaveToDialog attachment={a} onClose={() => setSavingTo(false)} />, document.body)}
    </span>
  );
}

/** attachment.get {out}: a large file written, decrypted, where the person says (never over a file). */
function SaveToDialog({ attachment, onClose }: { attachment: Attachment; onClose(): void }) {
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p = path.trim();
    if (!isAbsolutePath(p)) { setError('Enter the whole path of the new file, from the top of the disk.'); return; }
    try {
      const out = await useAttachments.getState().saveTo(attachment.attachment_id, p);
      useUi.getState().notify(`Saved “${attachment.name}” to ${out}.`);
      onClose();
    } catch (err) { setError(describeError(err)); }
  };
  return (
    <Dialog title={`Save “${attachment.name}”`} onClose={onClose} actions={<>
      <button className="btn" type="button" onClick={onClose}>Cancel</button>
      <button className="btn primary" type="submit" form="save-to-form">Save</button>
    </>}>
      <form id="save-to-form" onSubmit={(e) => void submit(e)}>
        <p>It is {formatBytes(attachment.size)}: too large for this window, so MemoryOS writes it, decrypted, straight to this computer’s disk. An existing file is never replaced.</p>
        <Field label="Save as (a whole path)"><input type="text" value={path} onChange={(e) => setPath(e.target.value)} data-autofocus spellCheck={false} placeholder={`/home/ana/Downloads/${attachment.name}`} /></Field>
        {error && <p className="error" role="alert">{error}</p>}
      </form>
    </Dialog>
  );
}

function UploadRow({ u, onByPath, onAdded }: { u: Upload; onByPath(): void; onAdded(a: Attachment): void }) {
  const pct = u.phase === 'reading' && u.size > 0 ? percent({ done: u.loaded, total: u.size }) : null;
  const label = u.phase === 'reading' ? `Reading “${u.name}”` : `Encrypting and saving “${u.name}”`;
  if (u.error) {
    return (
      <li className="upload failed" data-testid="upload">
        <span className="error" role="alert">Not added: {u.error}</span>
        {u.canShrink && <button className="btn small" type="button" onClick={() => void useAttachments.getState().addSmaller(u.key).then((a) => { if (a) onAdded(a); })}>Add a smaller copy</button>}
        {u.tooLarge && <button className="btn small" type="button" onClick={() => { useAttachments.getState().dismissUpload(u.key); onByPath(); }}>Add by path…</button>}
        <button className="btn small" type="button" onClick={() => useAttachments.getState().dismissUpload(u.key)}>Dismiss</button>
      </li>
    );
  }
  return (
    <li className="upload" data-testid="upload">
      <span>{label}{u.size > 0 ? ` (${formatBytes(u.size)})` : ''}…</span>
      {/* reading has a known length; what the core does with the bytes has none it reports: indeterminate */}
      <progress aria-label={label} max={100} {...(pct === null ? {} : { value: pct })} />
    </li>
  );
}

/** "Attach…": the browser's file picker (it gives the files, not their paths: they go as data_base64). */
export function AttachButton({ onFiles, onPress }: { onFiles(files: File[]): void; /** before the picker opens (the editor notes the caret) */ onPress?(): void }) {
  const picker = useRef<HTMLInputElement>(null);
  return (
    <>
      <button className="btn small" type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => { onPress?.(); picker.current?.click(); }}
        title="Add files to this memory (or drop them on the text, or paste an image while writing)">Attach…</button>
      <input ref={picker} type="file" multiple hidden tabIndex={-1} aria-hidden="true" data-testid="file-picker"
        onChange={(e) => { const files = Array.from(e.target.files ?? []); e.target.value = ''; if (files.length) onFiles(files); }} />
    </>
  );
}

/**
 * The memory's files under its text, once it has any: each as a chip, the ones being added with
 * their progress, and a path on this computer for files too large for this window (the picker,
 * dropping on the text and pasting while writing are the editor's).
 */
export function AttachmentsPanel({ memoryId, readOnly, onAdded, onRemoved }: {
  memoryId: string; readOnly: boolean; onAdded(a: Attachment): void; onRemoved(a: Attachment): void;
}) {
  const list = useAttachments((s) => s.lists[memoryId]);
  const uploads = useAttachments((s) => s.uploads).filter((u) => u.memoryId === memoryId);
  const [error, setError] = useState<string | null>(null);
  const [byPath, setByPath] = useState(false);
  const [removing, setRemoving] = useState<Attachment | null>(null);

  // read again when an event says the memory changed (a file added on another device, or here)
  const changed = useMemories((s) => s.changes[memoryId]?.seq ?? 0);
  useEffect(() => {
    setError(null);
    useAttachments.getState().load(memoryId).catch((e) => setError(describeError(e)));
  }, [memoryId, changed]);

  const remove = async (a: Attachment) => {
    setRemoving(null);
    try { await useAttachments.getState().remove(a); onRemoved(a); } catch (e) { setError(describeError(e)); }
  };

  if (!list?.length && !uploads.length && !error && !byPath) return null;
  return (
    <section className="attachments" aria-label="Files" data-testid="attachments">
      <div className="row">
        <h3 className="grow">Files{list?.length ? ` (${list.length})` : ''}</h3>
        {!readOnly && <button className="btn small" type="button" onClick={() => setByPath(true)}>Add by path…</button>}
      </div>
      {list && list.length > 0 && (
        <ul className="file-list">
          {list.map((a) => <li key={a.attachment_id}><AttachmentChip id={a.attachment_id} {...(readOnly ? {} : { onRemove: setRemoving })} /></li>)}
        </ul>
      )}
      {uploads.length > 0 && <ul className="uploads" aria-live="polite">{uploads.map((u) => <UploadRow key={u.key} u={u} onByPath={() => setByPath(true)} onAdded={onAdded} />)}</ul>}
      <p className="muted small">Files are encrypted like the memory: whoever may read it may open them.</p>
      {error && <p className="error" role="alert">{error}</p>}
      {byPath && <AddByPathDialog onClose={() => setByPath(false)} onAdd={(p) => { setByPath(false); void useAttachments.getState().addPath(memoryId, p).then((a) => { if (a) onAdded(a); }); }} />}
      {removing && (
        <Dialog title={`Remove “${removing.name}”?`} onClose={() => setRemoving(null)} actions={<>
          <button className="btn" type="button" onClick={() => setRemoving(null)} data-autofocus>Keep it</button>
          <button className="btn danger" type="button" onClick={() => void remove(removing)}>Remove for good</button>
        </>}>
          <p>The file is deleted from this memory for good (there is no trash for files); where the text shows it, its name stays as plain text.</p>
        </Dialog>
      )}
    </section>
  );
}

function AddByPathDialog({ onClose, onAdd }: { onClose(): void; onAdd(path: string): void }) {
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = path.trim().replace(/^(['"])(.*)\1$/, '$2');
    if (!isAbsolutePath(p)) { setError('Enter the whole path of the file, from the top of the disk.'); return; }
    onAdd(p);
  };
  return (
    <Dialog title="Add a file by its path" onClose={onClose} actions={<>
      <button className="btn" type="button" onClick={onClose}>Cancel</button>
      <button className="btn primary" type="submit" form="add-path-form">Add</button>
    </>}>
      <form id="add-path-form" onSubmit={submit}>
        <p>For files over {INLINE_MAX_MB} MB: MemoryOS reads the file from this computer’s disk and encrypts it as it goes (the file itself is left as it is).</p>
        <Field label="The file’s path"><input type="text" value={path} onChange={(e) => setPath(e.target.value)} data-autofocus spellCheck={false} placeholder="/home/ana/Videos/first steps.mp4" /></Field>
        {error && <p className="error" role="alert">{error}</p>}
      </form>
    </Dialog>
  );
}
