import { useEffect, useState } from 'react';
import type { AuditEntry, AuditVerifyResponse } from '../../../contracts/types';
import { describeError } from '../api/errors';
import { formatWhen } from '../lib/format';
import { api } from '../stores/client';
import { useSpaces } from '../stores/spaces';

const PAGE = 200;

export function AuditScreen() {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(false);
  const [verify, setVerify] = useState<AuditVerifyResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const members = useSpaces((s) => s.members);
  const who = (id: string) => members.find((m) => m.member_id === id)?.name ?? id.slice(-6);

  const load = async (after?: number) => {
    try {
      const r = await api().call('audit.list', { limit: PAGE, ...(after !== undefined ? { after_seq: after } : {}) });
      setEntries((e) => (after === undefined ? r.entries : [...e, ...r.entries]));
      setMore(r.entries.length === PAGE);
    } catch (e) { setError(describeError(e)); }
  };
  useEffect(() => { void load(); }, []);

  const runVerify = async () => {
    setBusy(true);
    setVerify(null);
    try { setVerify(await api().call('audit.verify', {})); } catch (e) { setError(describeError(e)); } finally { setBusy(false); }
  };

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
