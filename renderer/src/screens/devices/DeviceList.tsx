import { useState, type FormEvent } from 'react';
import type { Device } from '../../../../contracts/types';
import { describeError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { formatWhen } from '../../lib/format';
import { deviceLabel, ownDevices, sinceText, type PeerStatus } from '../../lib/sync-view';
import { useSession } from '../../stores/session';
import { useSync } from '../../stores/sync';
import { useUi } from '../../stores/ui';

function connectionText(peer: PeerStatus | null): string {
  if (!peer) return '';
  if (peer.status === 'revoked') return 'refused from now on';
  if (peer.connected) return `connected${peer.transport ? ` (${peer.transport})` : ''}`;
  return `offline, last seen ${sinceText(peer.last_seen)}`;
}

/** The confirm step of a revoke: what it does is said before it is done. */
function RevokeDialog({ device, onClose }: { device: Device; onClose(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const revoke = async () => {
    setBusy(true); setError(null);
    try {
      const rotated = await useSync.getState().revoke(device.device_id);
      useUi.getState().notify(`Device revoked; ${rotated.length} space${rotated.length === 1 ? '' : 's'} moved to new keys`);
      onClose();
    } catch (e) { setError(describeError(e)); setBusy(false); }
  };
  return (
    <Dialog title={`Revoke ${deviceLabel(device)}?`} onClose={onClose} testId="revoke-dialog" actions={<>
      <button className="btn" type="button" onClick={onClose} data-autofocus>Cancel</button>
      <button className="btn danger" type="button" disabled={busy} onClick={() => void revoke()}>Revoke device</button>
    </>}>
      <p>Every device refuses it from now on, and every space it could read moves to new keys, so it can read nothing written afterwards.</p>
      <p className="muted">What it already received stays on it. This cannot be undone: to use it again, link it as a new device.</p>
      {error && <p className="error" role="alert">{error}</p>}
    </Dialog>
  );
}

/** A device's name, changed in place ("Ann's laptop"): kept on this device. */
function RenameDialog({ device, onClose }: { device: Device; onClose(): void }) {
  const [name, setName] = useState(device.name ?? '');
  const [error, setError] = useState<string | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await useSync.getState().rename(device.device_id, name.trim());
      useUi.getState().notify(`Device renamed to ${name.trim()}.`);
      onClose();
    } catch (err) { setError(describeError(err)); }
  };
  return (
    <Dialog title="Rename device" onClose={onClose} testId="rename-device-dialog">
      <form onSubmit={save}>
        <Field label="Device name"><input value={name} maxLength={200} onChange={(e) => setName(e.target.value)} data-autofocus data-testid="device-name" /></Field>
        <p className="muted small">The name is kept on this device; your other devices keep their own names.</p>
        {error && <p className="error" role="alert">{error}</p>}
        <div className="row">
          <button className="btn" type="button" onClick={onClose}>Cancel</button>
          <button className="btn primary" type="submit" disabled={!name.trim()}>Save name</button>
        </div>
      </form>
    </Dialog>
  );
}

/** This person's devices: this one, the linked ones, and the revoked. */
export function DeviceList() {
  const devices = useSync((s) => s.devices);
  const status = useSync((s) => s.status);
  const me = useSession((s) => s.status?.member_id ?? null);
  const [revoking, setRevoking] = useState<Device | null>(null);
  const [renaming, setRenaming] = useState<Device | null>(null);
  const rows = ownDevices(devices, status?.peers ?? [], me);
  return (
    <section className="card" aria-labelledby="devices-title">
      <h2 id="devices-title">Your devices</h2>
      <table data-testid="device-list">
        <thead><tr><th scope="col">Device</th><th scope="col">Linked</th><th scope="col">Status</th><th scope="col">Connection</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {rows.map(({ device, peer }) => (
            <tr key={device.device_id} data-testid={`device-${device.device_id}`}>
              <td>{deviceLabel(device)}{device.this_device && <strong> (this device)</strong>}</td>
              <td>{formatWhen(device.created_at)}</td>
              <td className={peer?.status === 'revoked' ? 'status-down' : peer?.status === 'pending' ? 'status-degraded' : 'status-ok'}>{device.this_device ? 'this device' : peer?.status === 'trusted' ? 'linked, trusted' : peer?.status === 'pending' ? 'waiting for confirmation' : peer?.status ?? 'not known yet'}</td>
              <td>{device.this_device ? (status?.listening ? `listening on port ${status.listening.port}` : 'sync not running') : connectionText(peer)}</td>
              <td>
                <button className="btn small" type="button" onClick={() => setRenaming(device)} aria-label={`Rename ${deviceLabel(device)}`}>Rename…</button>
                {' '}{!device.this_device && peer?.status !== 'revoked' && <button className="btn small danger" type="button" onClick={() => setRevoking(device)} aria-label={`Revoke ${deviceLabel(device)}`}>Revoke…</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {revoking && <RevokeDialog device={revoking} onClose={() => setRevoking(null)} />}
      {renaming && <RenameDialog device={renaming} onClose={() => setRenaming(null)} />}
    </section>
  );
}
