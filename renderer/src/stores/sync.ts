import { create } from 'zustand';
import type {
  Device, DevicePairAcceptResponse, DevicePairOfferResponse, SyncConnectResponse, SyncDisconnectResponse, SyncStatusResponse,
} from '../../../contracts/types';
import { describeError } from '../api/errors';
import { api } from './client';
import { useSession } from './session';
import { useSpaces } from './spaces';

/**
 * How often sync.status is read while the Devices & sync screen is open. What it shows that no
 * event announces: per peer and space the entries to receive and to send (behind/ahead),
 * "verified up to date" and when it was last verified (they move with the sync protocol's hellos
 * and vector exchanges, which are not domain events), a pairing's keys_received on the new device,
 * and the refused counters. So it is polled, and only while someone is looking.
 *
 * Not polled, because events say when they change (live-events.ts):
 *  - the device list (device.list): PRESENCE_DEVICE_CHANGED (added, online, offline, revoked),
 *    KEY_ROTATED and SYNC_APPLIED make live-events call load(), which reads it with sync.status;
 *  - memories and spaces after entries arrive from a peer: SYNC_APPLIED, which live-events turns
 *    into the re-reads this store used to make when the stored entry counts moved;
 *  - this device becoming its person's (a finished pairing): PRESENCE_DEVICE_CHANGED "added",
 *    on which live-events reads the session and the spaces again.
 */
export const POLL_MS = 2000;

interface SyncState {
  status: SyncStatusResponse | null;
  devices: Device[];
  /** the invite this device offered, shown until it expires or a device is linked */
  offer: DevicePairOfferResponse | null;
  /** what device.pairAccept answered on this (new) device, until the pairing ends */
  accepted: DevicePairAcceptResponse | null;
  error: string | null;
  /** screens watching: polling runs while this is above zero */
  watchers: number;
  /** sync.status and device.list, read now (after an action or an event) */
  load(): Promise<void>;
  watch(): () => void;
  makeOffer(): Promise<void>;
  clearOffer(): void;
  accept(invite: string): Promise<void>;
  /** 'trusted' once both sides confirmed, 'waiting' while the other side has not */
  confirm(deviceId: string): Promise<'trusted' | 'waiting'>;
  revoke(deviceId: string): Promise<string[]>;
  /** device.rename: a name for a device, kept on this device */
  rename(deviceId: string, name: string): Promise<void>;
  /** sync.connect: dial a device at host:port by hand */
  connect(address: string): Promise<SyncConnectResponse>;
  /** sync.disconnect: pause sync (closes every connection) */
  disconnect(): Promise<SyncDisconnectResponse>;
  reset(): void;
}

/**
 * One read at a time, so a slow host does not pile up calls. A poll joins the read in flight; a
 * read asked for after an action or an event must see what happened, so it runs once more after
 * the one in flight (at most one waits).
 */
function oneAtATime(read: () => Promise<void>): (fresh: boolean) => Promise<void> {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const start = () => (running = read().finally(() => { running = null; }));
  return (fresh) => {
    if (!running) return start();
    if (!fresh) return running;
    queued ??= running.then(() => { queued = null; return start(); });
    return queued;
  };
}

let timer: ReturnType<typeof setInterval> | null = null;

export const useSync = create<SyncState>((set, get) => {
  const readStatus = oneAtATime(async () => {
    try {
      const status = await api().call('sync.status', {});
      // the pairing ended here (this device now speaks as its person: PRESENCE_DEVICE_CHANGED
      // has the session and spaces read again)
      set({ status, error: null, ...(get().accepted && !status.pairing ? { accepted: null } : {}) });
    } catch (e) {
      set({ error: describeError(e) });
    }
  });
  const readDevices = oneAtATime(async () => {
    try {
      const { devices } = await api().call('device.list', {});
      set({ devices });
    } catch (e) {
      set({ error: describeError(e) });
    }
  });
  return {
    status: null,
    devices: [],
    offer: null,
    accepted: null,
    error: null,
    watchers: 0,
    async load() {
      await Promise.all([readStatus(true), readDevices(true)]);
    },
    watch() {
      set({ watchers: get().watchers + 1 });
      void get().load();
      timer ??= setInterval(() => void readStatus(false), POLL_MS);
      return () => {
        const watchers = Math.max(0, get().watchers - 1);
        set({ watchers });
        if (!watchers && timer) { clearInterval(timer); timer = null; }
      };
    },
    async makeOffer() {
      const offer = await api().call('device.pairOffer', {});
      set({ offer });
    },
    clearOffer() {
      set({ offer: null });
    },
    async accept(invite) {
      const accepted = await api().call('device.pairAccept', { invite });
      set({ accepted });
      await get().load();
    },
    async confirm(deviceId) {
      const r = await api().call('device.confirm', { device_id: deviceId });
      // a new device that adopted its person's identity has another name and other spaces now
      if (r.adopted) await Promise.all([useSession.getState().refresh(), useSpaces.getState().load().catch(() => {})]);
      if (get().offer && r.status === 'trusted' && !r.adopted) set({ offer: null }); // the invite is single-use: it linked this device
      await get().load();
      return r.status;
    },
    async rename(deviceId, name) {
      const { device } = await api().call('device.rename', { device_id: deviceId, name });
      set({ devices: get().devices.map((d) => (d.device_id === deviceId ? device : d)) });
    },
    async revoke(deviceId) {
      const r = await api().call('device.revoke', { device_id: deviceId });
      await Promise.all([get().load(), useSpaces.getState().load().catch(() => {})]);
      return r.rotated;
    },
    async connect(address) {
      const r = await api().call('sync.connect', { address });
      await get().load();
      return r;
    },
    async disconnect() {
      const r = await api().call('sync.disconnect', {});
      await get().load();
      return r;
    },
    reset() {
      if (timer) { clearInterval(timer); timer = null; }
      set({ status: null, devices: [], offer: null, accepted: null, error: null, watchers: 0 });
    },
  };
});
