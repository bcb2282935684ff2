import { useEffect } from 'react';
import { useSync } from '../stores/sync';
import { DeviceList } from './devices/DeviceList';
import { PairDevice } from './devices/PairDevice';
import { PeerSync } from './devices/PeerSync';
import { SpaceMembers } from './devices/SpaceMembers';

/** Devices & sync (SPEC §7, §9): link a device, this person's devices, live sync per peer, members per space. */
export function DevicesScreen() {
  const status = useSync((s) => s.status);
  const error = useSync((s) => s.error);
  // while open, sync.status is polled: per-peer progress (to receive / to send, verified up to
  // date) has no event of its own; devices, memories and spaces follow events (see stores/sync.ts)
  useEffect(() => useSync.getState().watch(), []);
  return (
    <section className="screen devices" aria-labelledby="devices-screen-title">
      <div className="row" style={{ marginBottom: 10 }}>
        <h1 id="devices-screen-title" className="grow">Devices &amp; sync</h1>
        {status?.listening && <span className="muted" data-testid="listening">Listening for devices on port {status.listening.port}{status.hyperswarm ? ' and on Hyperswarm' : ''}</span>}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="devices-grid">
        <PairDevice />
        <DeviceList />
        <PeerSync />
        <SpaceMembers />
      </div>
    </section>
  );
}
