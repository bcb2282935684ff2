import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { describeError } from '../api/errors';
import { CopyField } from '../components/CopyField';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { useNames } from '../hooks/useNames';
import { passphraseStrength } from '../lib/passphrase-strength';
import { ERASE_WORD, eraseReach, formatBytes, percent, type ReachedDevice } from '../lib/privacy-view';
import { checkRetention } from '../lib/settings-form';
import { usePrivacy, type ExportRun } from '../stores/privacy';
import { useSettings } from '../stores/settings';
import { useSync } from '../stores/sync';
import { useUi } from '../stores/ui';

/**
 * The Privacy center (SPEC §8, §9): export a person's data (GDPR Art. 15/20) with a progress bar
 * and a read-back "verified" mark; erase for good (Art. 17), saying first which devices it
 * reaches; and the trash retention, in words. Every control here does what it says today.
 */
export function PrivacyScreen() {
  // the devices an erasure reaches, with their connection: read while this screen is open
  useEffect(() => useSync.getState().watch(), []);
  useEffect(() => { void usePrivacy.getState().loadTrash().catch(() => {}); }, []);
  return (
    <section className="screen privacy" aria-labelledby="privacy-title">
      <h1 id="privacy-title">Privacy center</h1>
      <p className="muted">Take a copy of your data, erase it for good, and decide how long deleted memories wait in the trash.</p>
      <div className="privacy-grid">
        <ExportCard />
        <EraseCard />
        <RetentionCard />
      </div>
    </section>
  );
}

/* ------------------------------------------------------------------ export */

function ExportProgress({ run }: { run: ExportRun }) {
  const job = run.phase === 'verifying' && run.verify ? run.verify : run.job;
  const pct = percent(job.progress);
  const label = run.phase === 'verifying' ? 'Checking the archive' : 'Writing the archive';
  const [cancelling, setCancelling] = useState(false);
  return (
    <div className="export-progress" data-testid="export-progress">
      <p><strong>{label}…</strong> {job.progress.total > 0 && <span className="muted">{job.progress.done} of {job.progress.total}</span>}</p>
      {/* no value while the total is not known: an indeterminate bar */}
      <progress aria-label={label} max={100} {...(pct === null ? {} : { value: pct })} />
      <p className="muted small" aria-live="polite">{pct === null ? 'Starting…' : `${pct} %`}</p>
      <button className="btn" type="button" disabled={cancelling} onClick={() => { setCancelling(true); void usePrivacy.getState().cancelExport().catch(() => setCancelling(false)); }}>Cancel</button>
    </div>
  );
}

function ExportOutcome({ run }: { run: ExportRun }) {
  const r = run.result;
  const v = run.verified;
  if (run.phase === 'cancelled') return <p role="status" data-testid="export-outcome">The export was cancelled; the partial file was removed.</p>;
  if (!r) return <p className="error" role="alert" data-testid="export-outcome">The export failed: {run.error}</p>;
  return (
    <div className="export-result" data-testid="export-result">
      <h3>Your export is ready</h3>
      {v?.valid
        ? <p className="verified" data-testid="export-verified"><span aria-hidden="true">✓ </span>Verified: read back from the disk, every file matches its SHA-256 in the manifest, and the manifest is signed by this device.</p>
        : <p className="error" role="alert" data-testid="export-not-verified"><span aria-hidden="true">✗ </span>Not verified: {v && !v.valid && v.first_bad ? `${v.first_bad.path}: ${v.first_bad.reason}` : run.error ?? 'the check did not finish'}. Do not rely on this file; export again.</p>}
      <dl className="facts">
        <dt>Size</dt><dd data-testid="export-size" data-bytes={r.bytes}>{formatBytes(r.bytes)} ({r.bytes.toLocaleString('en-US')} bytes)</dd>
        <dt>Contents</dt><dd>{r.memories} memor{r.memories === 1 ? 'y' : 'ies'}, {r.files} files</dd>
        <dt>Protection</dt><dd data-testid="export-encrypted">{r.encrypted ? 'Encrypted with your export passphrase' : 'Not encrypted: plaintext on disk'}</dd>
      </dl>
      <CopyField label="Where it is" value={r.path} testId="export-path" />
      <p className="muted small">Signed by device …{r.signing_device_id.slice(-6)}; manifest SHA-256 <code className="mono">{r.manifest_sha256.slice(0, 16)}…</code>. Check it again any time with <code>memoryos verify-export</code>.</p>
      <button className="btn" type="button" onClick={() => usePrivacy.getState().clearExport()}>Done</button>
    </div>
  );
}

function ExportCard() {
  const run = usePrivacy((s) => s.run);
  const [includeBlack, setIncludeBlack] = useState(false);
  const [reauth, setReauth] = useState('');
  const [encrypt, setEncrypt] = useState(false);
  const [pass, setPass] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const strength = passphraseStrength(pass);
  const mismatch = repeat.length > 0 && repeat !== pass;
  const running = run?.phase === 'writing' || run?.phase === 'verifying';
  const ready = !starting && !running && (!includeBlack || reauth.length > 0) && (!encrypt || (strength.acceptable && pass === repeat));

  const start = async (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    setStarting(true); setProblem(null);
    try {
      await usePrivacy.getState().startExport({ includeBlack, ...(includeBlack ? { reauth } : {}), ...(encrypt ? { encrypt: pass } : {}) });
      setReauth(''); setPass(''); setRepeat('');
    } catch (err) { setProblem(describeError(err)); } finally { setStarting(false); }
  };

  return (
    <section className="card" aria-labelledby="export-title" data-testid="export-card">
      <h2 id="export-title">Export your data</h2>
      <p>One ZIP file with everything this vault holds about you:</p>
      <ul className="compact" data-testid="export-contents">
        <li>each memory you wrote, as JSON and as Markdown{includeBlack ? ', your Black ones included' : ''};</li>
        <li>your spaces and who each one syncs to, the names you see, your devices;</li>
        <li>your settings and consents, and your own audit log entries;</li>
        <li>a README saying why and how it is kept, who receives it, and your rights;</li>
        <li>a manifest with every file’s SHA-256, signed by this device.</li>
      </ul>
      <p className="muted small">What other people wrote is counted, never copied. The file goes to the <code>exports</code> folder of MemoryOS’s data directory; its exact place is shown when it is written.</p>
      {run && !running ? <ExportOutcome run={run} /> : run ? <ExportProgress run={run} /> : (
        <form onSubmit={start} noValidate>
          <label className="row check">
            <input type="checkbox" checked={includeBlack} onChange={(e) => setIncludeBlack(e.target.checked)} />
            <span>Include my Black memories written on this device</span>
          </label>
          {includeBlack && (
            <>
              <Field label="Your vault passphrase"><input type="password" value={reauth} onChange={(e) => setReauth(e.target.value)} autoComplete="current-password" aria-describedby="reauth-hint" /></Field>
              <p id="reauth-hint" className="muted small">Black memories are copied out only after you give your passphrase again.</p>
            </>
          )}
          <label className="row check">
            <input type="checkbox" checked={encrypt} onChange={(e) => setEncrypt(e.target.checked)} />
            <span>Encrypt the archive with a passphrase</span>
          </label>
          <p className={encrypt ? 'protect-box' : 'protect-box warn'} data-testid="export-protection" role="note">
            {encrypt
              ? <><strong>Encrypted:</strong> the file is written encrypted with the passphrase below. MemoryOS does not keep that passphrase: without it nobody, you included, can open the file.</>
              : <><strong>Not encrypted:</strong> the export is written to disk in plaintext. Anyone who can read that folder, or a copy of the file, can read everything in it. Tick “Encrypt the archive” to protect it.</>}
          </p>
          {encrypt && (
            <>
              <Field label="Export passphrase"><input type="password" value={pass} onChange={(e) => setPass(e.target.value)} autoComplete="new-password" aria-describedby="export-strength" /></Field>
              <p id="export-strength" className="muted small">{pass ? strength.label : 'At least 8 characters; several unrelated words are best.'}</p>
              <Field label="Repeat the export passphrase"><input type="password" value={repeat} onChange={(e) => setRepeat(e.target.value)} autoComplete="new-password" aria-invalid={mismatch} aria-describedby={mismatch ? 'export-mismatch' : undefined} /></Field>
              {mismatch && <p id="export-mismatch" className="error">The two passphrases differ.</p>}
            </>
          )}
          <button className="btn primary" type="submit" disabled={!ready}>{encrypt ? 'Export, encrypted' : 'Export in plaintext'}</button>
          {problem && <p className="error" role="alert" data-testid="export-problem">{problem}</p>}
        </form>
      )}
      <p className="muted small">An export is also a backup: bring it back into this or a fresh vault with <button className="btn link small" type="button" onClick={() => useUi.getState().setOverlay('import')}>Import notes…</button> (the .zip, and its passphrase if it is encrypted).</p>
    </section>
  );
}

/* ------------------------------------------------------------------ erase */

function useReach(): { here: ReachedDevice | null; peers: ReachedDevice[] } {
  const devices = useSync((s) => s.devices);
  // the status object, not `status?.peers ?? []`: a new [] on every read would re-render forever
  const status = useSync((s) => s.status);
  const names = useNames();
  return useMemo(() => eraseReach(devices, status?.peers ?? [], names.person), [devices, status, names]);
}

function ReachList({ reach }: { reach: ReturnType<typeof useReach> }) {
  return (
    <ul className="compact" data-testid="erase-reach">
      <li data-testid="erase-reach-here"><strong>This device</strong>{reach.here ? ` (${reach.here.label})` : ''}: at once.</li>
      {reach.peers.map((p) => <li key={p.device_id} data-testid={`erase-reach-${p.device_id}`}><strong>{p.label}</strong>: {p.when}.</li>)}
      {reach.peers.length === 0 && <li data-testid="erase-reach-none">No other device is linked to this vault.</li>}
    </ul>
  );
}

type EraseWhat = 'mine' | 'trash';

function EraseDialog({ what, onClose }: { what: EraseWhat; onClose(): void }) {
  const reach = useReach();
  const [word, setWord] = useState('');
  const [pass, setPass] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const ok = word.trim() === ERASE_WORD && pass.length > 0 && !busy;
  const erase = async () => {
    if (!ok) return;
    setBusy(true); setProblem(null);
    try {
      const p = usePrivacy.getState();
      await (what === 'mine' ? p.eraseMine(pass) : p.emptyTrash(pass));
      onClose();
    } catch (err) { setProblem(describeError(err)); setBusy(false); }
  };
  return (
    <Dialog title={what === 'mine' ? 'Erase everything you wrote?' : 'Empty the trash for good?'} onClose={onClose} testId="erase-dialog" actions={<>
      <button className="btn" type="button" onClick={onClose}>Cancel</button>
      <button className="btn danger" type="button" disabled={!ok} onClick={() => void erase()}>Erase for good</button>
    </>}>
      <div>
        <p>{what === 'mine'
          ? 'Every memory you wrote, in every space, of every band, is erased: its keys are destroyed and its encrypted text is purged.'
          : 'Every memory in the trash that you may erase (yours, and those of spaces you guard) is erased: its keys are destroyed and its encrypted text is purged.'}</p>
        <p><strong>This cannot be undone.</strong> It reaches:</p>
        <ReachList reach={reach} />
        <Field label="Your vault passphrase"><input type="password" value={pass} onChange={(e) => setPass(e.target.value)} autoComplete="current-password" data-autofocus /></Field>
        <Field label={`Type ${ERASE_WORD} to confirm`}><input type="text" value={word} onChange={(e) => setWord(e.target.value)} autoComplete="off" spellCheck={false} data-testid="erase-word" /></Field>
        {problem && <p className="error" role="alert">{problem}</p>}
      </div>
    </Dialog>
  );
}

function EraseCard() {
  const reach = useReach();
  const trash = usePrivacy((s) => s.trash);
  const last = usePrivacy((s) => s.lastErase);
  const [open, setOpen] = useState<EraseWhat | null>(null);
  return (
    <section className="card" aria-labelledby="erase-title" data-testid="erase-card">
      <h2 id="erase-title">Erase for good</h2>
      <p>Deleting a memory puts it in the trash, where it can be restored. Erasing goes further: nothing is left to restore, on any device. To erase a few memories, delete them, then empty the trash here.</p>
      <p>An erasure reaches:</p>
      <ReachList reach={reach} />
      <div className="row wrap">
        <button className="btn danger" type="button" onClick={() => setOpen('mine')}>Erase everything I wrote…</button>
        <button className="btn danger" type="button" disabled={!trash?.total} onClick={() => setOpen('trash')}>Empty the trash now…</button>
        <span className="muted small" data-testid="trash-count">{trash ? (trash.total ? `${trash.total} in the trash` : 'The trash is empty') : ''}</span>
      </div>
      {last && (
        <p role="status" className="ok" data-testid="erase-outcome">
          {last.what === 'mine' ? 'Erased what you wrote' : 'Trash emptied'}: {last.erased} memor{last.erased === 1 ? 'y' : 'ies'} erased everywhere{last.shredded ? `, ${last.shredded} Black shredded on this device` : ''}{last.kept ? `; ${last.kept} kept (not yours to erase)` : ''}.
        </p>
      )}
      {open && <EraseDialog what={open} onClose={() => setOpen(null)} />}
    </section>
  );
}

/* ------------------------------------------------------------------ retention */

function RetentionCard() {
  const days = useSettings((s) => s.settings.trash_retention_days);
  const [value, setValue] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => { setValue(days === undefined ? '' : String(days)); }, [days]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const r = checkRetention(value);
    if ('problem' in r) { setMsg({ ok: false, text: r.problem }); return; }
    try {
      await useSettings.getState().save({ trash_retention_days: r.days });
      void usePrivacy.getState().loadTrash().catch(() => {});
      setMsg({ ok: true, text: 'Saved.' });
    } catch (err) { setMsg({ ok: false, text: describeError(err) }); }
  };
  return (
    <form className="card" aria-labelledby="retention-title" data-testid="retention-card" onSubmit={save} noValidate>
      <h2 id="retention-title">Retention</h2>
      <p data-testid="retention-words">{days === undefined ? 'Reading the setting…' : <>Items in the trash for more than <strong>{days} day{days === 1 ? '' : 's'}</strong> are erased for good, here and on your other devices, as if you emptied the trash. A working memory moves to the trash when it expires.</>}</p>
      <Field label="Keep deleted memories in the trash for (days)"><input type="number" min={1} max={3650} value={value} onChange={(e) => setValue(e.target.value)} /></Field>
      <button className="btn" type="submit">Save retention</button>
      {msg && <p role="status" className={msg.ok ? 'ok' : 'error'} data-testid="retention-message">{msg.text}</p>}
    </form>
  );
}
