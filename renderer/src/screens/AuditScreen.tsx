import { useEffect, useState } from 'react';
import { useNames } from '../hooks/useNames';
import { AUDIT_KINDS, auditKind, auditSentence, type AuditKind } from '../lib/audit-words';
import { formatWhen } from '../lib/format';
import { AUDIT_SHOWN, useAudit } from '../stores/audit';
import { useSpaces } from '../stores/spaces';

export function AuditScreen() {
  const rows = useAudit((s) => s.rows);
  const actions = useAudit((s) => s.actions);
  const verify = useAudit((s) => s.verify);
  const busy = useAudit((s) => s.verifying);
  const error = useAudit((s) => s.error);
  const spaces = useSpaces((s) => s.spaces);
  const names = useNames();
  const [kind, setKind] = useState<AuditKind | ''>('');
  const [space, setSpace] = useState('');
  const [shown, setShown] = useState(AUDIT_SHOWN);

  // read on opening and again when an audited event arrives; leaving the screen forgets it
  useEffect(() => useAudit.getState().watch(), []);
  const runVerify = () => useAudit.getState().runVerify();

  const filtered = rows.filter((r) => (!kind || auditKind(r.topic) === kind) && (!space || r.space_id === space));

  return (
    <section className="screen" aria-labelledby="audit-title">
      <div className="row" style={{ marginBottom: 10 }}>
        <h1 id="audit-title" className="grow">Audit log</h1>
        <button className="btn primary" type="button" onClick={() => void runVerify()} disabled={busy}>{busy ? 'Verifying…' : 'Verify chain'}</button>
      </div>
      <p className="muted">What was opened, shared, changed and taken back, newest first. Each entry is signed by the device that made it and chained to the one before, so a removed or altered entry breaks the chain.</p>
      <div role="status" aria-live="polite" data-testid="audit-verify">
        {verify && (verify.valid
          ? <p className="ok"><strong>Chain valid.</strong> {verify.checked} entries checked: none was removed, altered or reordered.</p>
          : <p className="error"><strong>Chain broken</strong> at entry {verify.first_broken?.seq}: an entry was removed, altered or reordered ({verify.first_broken?.reason}); {verify.checked} checked.</p>)}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="row filters-row" role="group" aria-label="Show">
        <label>Kind of event
          <select aria-label="Kind of event" value={kind} onChange={(e) => setKind(e.target.value as AuditKind | '')}>
            <option value="">Everything</option>
            {AUDIT_KINDS.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
          </select>
        </label>
        <label>Space
          <select aria-label="Space" value={space} onChange={(e) => setSpace(e.target.value)}>
            <option value="">Every space</option>
            {spaces.map((s) => <option key={s.space_id} value={s.space_id}>{s.name}</option>)}
          </select>
        </label>
        <span className="muted">{filtered.length} of {rows.length} entries</span>
      </div>
      {rows.length > 0 && filtered.length === 0 && <p className="empty">No entry of that kind{space ? ' in that space' : ''}.</p>}
      {rows.length === 0 && !error && <p className="empty">Nothing audited yet. Opening, sharing or deleting an Amber, Red or Black memory, changing members or settings, are recorded here.</p>}
      {filtered.length > 0 && (
        <table data-testid="audit-table" className="audit">
          <thead><tr><th scope="col">When</th><th scope="col">What happened</th><th scope="col">Space</th><th scope="col">Details</th></tr></thead>
          <tbody>
            {filtered.slice(0, shown).map((e) => (
              <tr key={e.seq}>
                <td><time dateTime={e.ts} data-testid="audit-when">{formatWhen(e.ts)}</time></td>
                <td data-testid="audit-what">{auditSentence(e, names, actions)}</td>
                <td>{e.space_id ? names.space(e.space_id) ?? 'a space you are not in' : '—'}</td>
                <td>
                  <details>
                    <summary>Details</summary>
                    <dl className="ids">
                      <div><dt>Entry</dt><dd>{e.seq}</dd></div>
                      <div><dt>Event</dt><dd><code>{e.topic}</code> <span className="mono">{e.event_id}</span></dd></div>
                      {e.space_id && <div><dt>Space id</dt><dd className="mono">{e.space_id}</dd></div>}
                      <div><dt>By</dt><dd className="mono">{e.actor}</dd></div>
                      {e.payload && Object.entries(e.payload).map(([k, v]) => <div key={k}><dt>{k}</dt><dd className="mono">{typeof v === 'string' ? v : JSON.stringify(v)}</dd></div>)}
                      <div><dt>Hash</dt><dd className="mono">{e.envelope_sha256}</dd></div>
                    </dl>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {filtered.length > shown && <button className="btn" type="button" style={{ marginTop: 8 }} onClick={() => setShown(shown + AUDIT_SHOWN)}>Show older entries</button>}
    </section>
  );
}
