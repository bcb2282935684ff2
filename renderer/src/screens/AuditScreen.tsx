import { useEffect } from 'react';
import { formatWhen } from '../lib/format';
import { useAudit } from '../stores/audit';
import { useSpaces } from '../stores/spaces';

export function AuditScreen() {
  const entries = useAudit((s) => s.entries);
  const more = useAudit((s) => s.more);
  const verify = useAudit((s) => s.verify);
  const busy = useAudit((s) => s.verifying);
  const error = useAudit((s) => s.error);
  const members = useSpaces((s) => s.members);
  const who = (id: string) => members.find((m) => m.member_id === id)?.name ?? id.slice(-6);

  // read on opening; leaving the screen forgets it, as before (the next visit reads it again)
  useEffect(() => {
    void useAudit.getState().load();
    return () => useAudit.getState().reset();
  }, []);
  const load = (after?: number) => useAudit.getState().load(after);
  const runVerify = () => useAudit.getState().runVerify();

  return (
    <section className="screen" aria-labelledby="audit-title">
      <div className="row" style={{ marginBottom: 10 }}>
        <h1 id="audit-title" className="grow">Audit log</h1>
        <button className="btn primary" type="button" onClick={() => void runVerify()} disabled={busy}>{busy ? 'Verifying…' : 'Verify chain'}</button>
      </div>
      <p className="muted">Every audited event is signed by this device and chained to the one before it, so a removed or altered entry breaks the chain.</p>
      <div role="status" aria-live="polite" data-testid="audit-verify">
        {verify && (verify.valid
          ? <p className="ok"><strong>Chain valid.</strong> {verify.checked} entries checked.</p>
          : <p className="error"><strong>Chain broken</strong> at entry {verify.first_broken?.seq} ({verify.first_broken?.reason}); {verify.checked} checked.</p>)}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <table data-testid="audit-table">
        <thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Event</th><th scope="col">Space</th><th scope="col">By</th><th scope="col">Hash</th></tr></thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td><td>{formatWhen(e.ts)}</td><td><code>{e.topic}</code></td><td>{e.space_id ?? '—'}</td><td>{who(e.actor)}</td>
              <td className="mono" title={e.envelope_sha256}>{e.envelope_sha256.slice(0, 12)}…</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && <button className="btn" type="button" style={{ marginTop: 8 }} onClick={() => void load(entries[entries.length - 1]?.seq)}>Load more</button>}
    </section>
  );
}
