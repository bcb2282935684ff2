import { useState, type FormEvent } from 'react';
import { describeError } from '../../api/errors';
import { formatWhen } from '../../lib/format';
import { deviceLabel, sinceText, spaceSyncText } from '../../lib/sync-view';
import { useSession } from '../../stores/session';
import { spaceById, useSpaces } from '../../stores/spaces';
import { useSync } from '../../stores/sync';

/** Connect to a device at host:port by hand (the host re-dials known peers by itself, this is for when it cannot find one). */
function ConnectForm() {
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async (fn: () => Promise<string>) => {
    setBusy(true); setMessage(null);
    try { setMessage({ ok: true, text: await fn() }); } catch (e) { setMessage({ ok: false, text: describeError(e) }); } finally { setBusy(false); }
  };
  const connect = (e: FormEvent) => {
    e.preventDefault();
    if (address.trim()) void run(async () => { const r = await useSync.getState().connect(address.trim()); return `Connected to …${r.device_id.slice(-6)}`; });
  };
  return (
    <form className="row" onSubmit={connect} style={{ flexWrap: 'wrap', marginTop: 10 }}>
      <label className="grow" style={{ minWidth: 200 }}>
        <span className="sr-only">Address of a device (host:port)</span>
        <input type="text" value={address} onChange={(e) => setAddress(e.target.value)} placeholder="host:port of a linked device" aria-label="Address of a device (host:port)" maxLength={80} style={{ width: '100%' }} />
      </label>
      <button className="btn" type="submit" disabled={busy || !/^\S+:\d{1,5}$/.test(address.trim())}>Connect to device</button>
      <button className="btn" type="button" disabled={busy} onClick={() => void run(async () => { const r = await useSync.getState().disconnect(); return `Paused: ${r.closed} connection${r.closed === 1 ? '' : 's'} closed`; })}>Pause sync</button>
      {message && <p className={message.ok ? 'ok' : 'error'} role={message.ok ? 'status' : 'alert'} style={{ flexBasis: '100%' }}>{message.text}</p>}
    </form>
  );
}

/** Live sync per peer device and space: connected, last seen, behind/ahead, verified up to date. */
export function PeerSync() {
  const status = useSync((s) => s.status);
  const devices = useSync((s) => s.devices);
  const spaces = useSpaces((s) => s.spaces);
  const people = useSpaces((s) => s.members);
  const me = useSession((s) => s.status?.member_id ?? null);
  const door = useSession((s) => s.door);
  const peers = (status?.peers ?? []).filter((p) => p.status !== 'revoked');
  const owner = (memberId: string) => (memberId === me ? 'You' : people.find((m) => m.member_id === memberId)?.name ?? 'Another person');
  const refused = Object.entries(status?.refused ?? {}).filter(([, n]) => n > 0);
  return (
    <section className="card" aria-labelledby="peers-title">
      <h2 id="peers-title">Sync with other devices</h2>
      {status && !status.running && (
        <p className="status-degraded" data-testid="sync-off">
          {door === 'ipc'
            ? <>Sync does not run inside the desktop window yet: to link devices, serve this data directory with <code>memoryos serve</code>.</>
            : <>Sync is not running. It starts inside <code>memoryos serve</code> when the vault is unlocked; a vault created in this window starts it after you lock and unlock once.</>}
        </p>
      )}
      {status?.running && !peers.length && <p className="muted">No other device yet: link one above, or invite a person into a space below.</p>}
      {peers.map((p) => (
        <div key={p.device_id} className="peer" data-testid={`peer-${p.device_id}`}>
          <h3>
            {owner(p.member_id)} · {deviceLabel(devices.find((d) => d.device_id === p.device_id) ?? p)}{' '}
            <span className={p.connected ? 'status-ok' : 'muted'} data-testid="peer-connection">
              {p.connected ? `connected${p.transport ? ` (${p.transport})` : ''}` : `offline, last seen ${sinceText(p.last_seen)}`}
            </span>
            {p.status === 'pending' && <span className="status-degraded"> · waiting for confirmation</span>}
          </h3>
          {p.spaces.length ? (
            <table>
              <thead><tr><th scope="col">Space</th><th scope="col">State</th><th scope="col">To receive</th><th scope="col">To send</th><th scope="col">Last verified</th></tr></thead>
              <tbody>
                {p.spaces.map((s) => (
                  <tr key={s.space_id} data-testid={`peer-space-${s.space_id}`}>
                    <td>{spaceById(spaces, s.space_id)?.name ?? s.space_id}</td>
                    <td className={s.verified_up_to_date ? 'status-ok' : undefined} data-testid="sync-state">{spaceSyncText(s, p.connected)}</td>
                    <td>{s.behind ?? '—'}</td>
                    <td>{s.ahead ?? '—'}</td>
                    <td>{s.verified_at ? formatWhen(s.verified_at) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : <p className="muted">No space in common yet.</p>}
        </div>
      ))}
      {refused.length > 0 && (
        <p className="status-degraded" data-testid="refused">Refused and not applied: {refused.map(([r, n]) => `${n} ${r.replace(/_/g, ' ')}`).join(', ')}.</p>
      )}
      {status?.running && <ConnectForm />}
    </section>
  );
}
