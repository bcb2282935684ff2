import { useEffect, useState, type FormEvent } from 'react';
import type { Band } from '../../../contracts/types';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { BANDS, bandInfo } from '../lib/bands';
import { cleanPath, formatLabel, IMPORT_FORMATS, isAbsolutePath, reportSentence, type ImportFormat, type ImportReport } from '../lib/import-view';
import { percent } from '../lib/privacy-view';
import { useImport } from '../stores/import';
import { useSettings } from '../stores/settings';
import { spaceById, useSpaces } from '../stores/spaces';
import { pickSpace } from '../hooks/useCommands';

/**
 * Bring notes in from another app (issue 12): where the export is (a path: the browser window has
 * no file picker that gives one, and the Electron preload offers none), the space and band, then
 * a dry run (the format it found, what would be imported, what is already here, what cannot be
 * read), the import with its progress bar, and the report with every item that failed and why.
 */
export function ImportDialog({ onClose }: { onClose(): void }) {
  const phase = useImport((s) => s.phase);
  const close = () => {
    // a running job goes on without the dialog; its report is there when the dialog opens again
    if (phase !== 'checking' && phase !== 'importing') useImport.getState().reset();
    onClose();
  };
  const title = phase === 'done' ? 'Import finished' : 'Import notes from another app';
  return (
    <Dialog title={title} onClose={close} testId="import-dialog" actions={<Actions onClose={close} />}>
      {phase === 'idle' || phase === 'failed' ? <Choose /> : null}
      {phase === 'checking' && <Progress label="Reading the export (nothing is written yet)" />}
      {phase === 'checked' && <Preview />}
      {phase === 'importing' && <Progress label="Importing" />}
      {phase === 'done' && <Outcome />}
      {phase === 'cancelled' && <p role="status" data-testid="import-cancelled">The import was stopped. What had been imported stays; running it again brings in the rest.</p>}
    </Dialog>
  );
}

function Choose() {
  const spaces = useSpaces((s) => s.spaces);
  const selected = useSpaces((s) => s.selected);
  const undoWindow = useSettings((s) => s.settings.undo_window_seconds);
  const last = useImport((s) => s.choice);
  const error = useImport((s) => s.error);
  // every space is offered: whether this person may write there is the policy's answer (the dry
  // run says it, in words), not a guess made here
  const offered = spaces;
  const start = last?.space_id ?? (offered.some((s) => s.space_id === selected) ? selected : null) ?? offered.find((s) => s.kind === 'personal')?.space_id ?? offered[0]?.space_id ?? '';
  const [path, setPath] = useState(last?.path ?? '');
  const [format, setFormat] = useState<ImportFormat | ''>(last?.format ?? '');
  const [spaceId, setSpaceId] = useState(start);
  const [band, setBand] = useState<Band>(last?.band ?? 'GREEN');
  const [passphrase, setPassphrase] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const p = cleanPath(path);
  const needsPassphrase = format === 'memoryos' || /\.zip$/i.test(p);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!p) { setProblem('Enter where the export is.'); return; }
    if (!isAbsolutePath(p)) { setProblem('Enter the whole path, from the top of the disk (for example /home/ana/Notes or C:\\Users\\Ana\\Notes).'); return; }
    setProblem(null);
    void useImport.getState().check({ path: p, space_id: spaceId, band, ...(format ? { format } : {}) }, needsPassphrase ? passphrase : undefined);
  };

  return (
    <form id="import-form" onSubmit={submit} data-testid="import-choose">
      <p className="muted">Export your notes from the other app first, then say where the export is on this computer. A first pass reads it and shows what would come in; nothing is written until you confirm.</p>
      <Field label="Where the export is (a folder or a file)">
        <input type="text" value={path} onChange={(e) => setPath(e.target.value)} data-autofocus spellCheck={false} autoComplete="off"
          placeholder="/home/ana/Documents/Evernote export.enex" aria-describedby="import-path-hint" data-testid="import-path" />
      </Field>
      <ul className="muted small" id="import-path-hint">
        {IMPORT_FORMATS.map((f) => <li key={f.format}>{f.label}: {f.where}</li>)}
      </ul>
      <div className="meta-row">
        <Field label="Format">
          <select value={format} onChange={(e) => setFormat(e.target.value as ImportFormat | '')}>
            <option value="">Find out from the export</option>
            {IMPORT_FORMATS.map((f) => <option key={f.format} value={f.format}>{f.label}</option>)}
          </select>
        </Field>
        <Field label="Into the space">
          <select value={spaceId} onChange={(e) => setSpaceId(e.target.value)}>
            {offered.map((s) => <option key={s.space_id} value={s.space_id}>{s.name}</option>)}
          </select>
        </Field>
        <Field label="Band of the imported memories">
          <select value={band} onChange={(e) => setBand(e.target.value as Band)} aria-describedby="import-band-hint">
            {BANDS.map((b) => <option key={b} value={b}>{bandInfo(b, undoWindow).name}</option>)}
          </select>
        </Field>
      </div>
      <p className="muted small" id="import-band-hint">{bandInfo(band, undoWindow).short}{format === 'memoryos' || needsPassphrase ? ' A MemoryOS backup keeps each memory’s own band, raised to this one when it is lower.' : ''}</p>
      {needsPassphrase && (
        <Field label="The export’s passphrase (only if it was encrypted)">
          <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="off" />
        </Field>
      )}
      {(problem ?? error) && <p className="error" role="alert" data-testid="import-error">{problem ?? error}</p>}
    </form>
  );
}

function Progress({ label }: { label: string }) {
  const job = useImport((s) => s.job);
  const choice = useImport((s) => s.choice);
  const [cancelling, setCancelling] = useState(false);
  const pct = job ? percent(job.progress) : null;
  return (
    <div className="export-progress" data-testid="import-progress">
      <p><strong>{label}…</strong> <span className="muted">{choice?.path}</span></p>
      {/* no value while the total is not known: an indeterminate bar */}
      <progress aria-label={label} max={100} {...(pct === null ? {} : { value: pct })} data-testid="import-bar" />
      <p className="muted small" aria-live="polite">{pct === null ? 'Starting…' : `${pct} %`}</p>
      {job && <button className="btn" type="button" disabled={cancelling} onClick={() => { setCancelling(true); void useImport.getState().cancel(); }}>Stop</button>}
    </div>
  );
}

function Problems({ report }: { report: ImportReport }) {
  if (!report.failed_count && !report.warnings_count) return null;
  return (
    <>
      {report.failed_count > 0 && (
        <>
          <h3>Could not be read ({report.failed_count})</h3>
          <ul className="import-problems" data-testid="import-failures">
            {report.failed.map((f, i) => <li key={i}><code className="mono">{f.path}</code>: {f.reason}</li>)}
          </ul>
          {report.failed_count > report.failed.length && <p className="muted small">and {report.failed_count - report.failed.length} more.</p>}
        </>
      )}
      {report.warnings_count > 0 && (
        <details>
          <summary>Imported with something missing ({report.warnings_count})</summary>
          <ul className="import-problems" data-testid="import-warnings">
            {report.warnings.map((w, i) => <li key={i}><code className="mono">{w.path}</code>: {w.warning}</li>)}
          </ul>
        </details>
      )}
    </>
  );
}

function Facts({ report }: { report: ImportReport }) {
  const choice = useImport((s) => s.choice);
  const spaces = useSpaces((s) => s.spaces);
  return (
    <dl className="facts">
      <dt>Format</dt><dd data-testid="import-format">{formatLabel(report.format)}</dd>
      <dt>Into</dt><dd>{spaceById(spaces, choice?.space_id ?? '')?.name ?? 'the space'}, as {bandInfo(choice?.band ?? 'GREEN').name}</dd>
      <dt>{report.dry_run ? 'Would be imported' : 'Imported'}</dt><dd data-testid="import-count">{report.imported}</dd>
      <dt>Already here</dt><dd data-testid="import-duplicates">{report.skipped_duplicates}</dd>
      <dt>Could not be read</dt><dd data-testid="import-failed-count">{report.failed_count}</dd>
    </dl>
  );
}

function Preview() {
  const report = useImport((s) => s.preview)!;
  return (
    <div data-testid="import-preview">
      <p role="status">{reportSentence(report)}</p>
      <Facts report={report} />
      <Problems report={report} />
      {report.imported === 0 && <p className="muted">There is nothing new to import{report.skipped_duplicates ? ': everything is already in this space' : ''}.</p>}
    </div>
  );
}

function Outcome() {
  const report = useImport((s) => s.report)!;
  useEffect(() => { document.querySelector<HTMLElement>('[data-testid="import-report"] [role="status"]')?.focus(); }, []);
  return (
    <div data-testid="import-report">
      <p role="status" tabIndex={-1}><strong>{reportSentence(report)}</strong></p>
      <Facts report={report} />
      <Problems report={report} />
      <p className="muted small">Running the same import again brings in only what is new.</p>
    </div>
  );
}

function Actions({ onClose }: { onClose(): void }) {
  const phase = useImport((s) => s.phase);
  const preview = useImport((s) => s.preview);
  const choice = useImport((s) => s.choice);
  switch (phase) {
    case 'idle':
    case 'failed':
      return <>
        <button className="btn" type="button" onClick={onClose}>Cancel</button>
        <button className="btn primary" type="submit" form="import-form">Check the export</button>
      </>;
    case 'checked':
      return <>
        <button className="btn" type="button" onClick={() => useImport.setState({ phase: 'idle' })}>Back</button>
        <button className="btn primary" type="button" disabled={!preview?.imported} onClick={() => void useImport.getState().start()} data-testid="import-start">
          Import {preview?.imported ?? 0} memor{preview?.imported === 1 ? 'y' : 'ies'}
        </button>
      </>;
    case 'done':
      return <>
        <button className="btn" type="button" onClick={() => useImport.getState().reset()}>Import something else</button>
        <button className="btn primary" type="button" onClick={() => { const id = choice?.space_id; onClose(); if (id) pickSpace(id); }}>Show the space</button>
      </>;
    case 'cancelled':
      return <button className="btn" type="button" onClick={onClose}>Close</button>;
    default:
      return <button className="btn" type="button" onClick={onClose}>Hide (it goes on)</button>;
  }
}
