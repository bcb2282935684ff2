import { create } from 'zustand';
import type {
  Device, DevicePairAcceptResponse, DevicePairOfferResponse, SyncConnectResponse, SyncDisconnectResponse, SyncStatusResponse,
} from '../../../contracts/types';
import { describeError } from '../api/errors';
import { storedFingerprint } from '../lib/sync-view';
import { api } from './client';
import { useMemories } from './memories';
import { useSession } from './session';
import { useSpaces } from './spaces';

/**
 * How often sync.status is read while the Devices & sync screen is open. The host sends an event
 * when a peer connects, leaves, is added or revoked, but none when a batch of entries applies, so
 * behind/ahead and "verified up to date" are polled, and only while someone is looking.
 */
export const POLL_MS = 2000;

interface SyncState {
  status: SyncStatusResponse | null;
  devices: Device[];
  /** the invite this device offered, shown until it expires or a device is linked */
  offer: DevicePairOfferResponse | null;
  /** what device.pairAccept answered on this (new) device */
  accepted: DevicePairAcceptResponse | null;
  error: string | null;
  /** screens watching: polling runs while this is above zero */
  watchers: number;
  load(): Promise<void>;
  watch(): () => void;
  makeOffer(): Promise<void>;
  clearOffer(): void;
  accept(invite: string): Promise<void>;
  confirm(deviceId: string): Promise<boolean>;
  revoke(deviceId: string): Promise<string[]>;
  /** sync.connect: dial a device at host:port by hand */
  connect(address: string): Promise<SyncConnectResponse>;
  /** sync.disconnect: pause sync (closes every connection) */
  disconnect(): Promise<SyncDisconnectResponse>;
  reset(): void;
}

let timer: ReturnType<typeof setInterval> | null = null;
let inFlight: Promise<void> | null = null;

export const useSync = create<SyncState>((set, get) => ({
  status: null,
  devices: [],
  offer: null,
  accepted: null,
  error: null,
  watchers: 0,
  load() {
    // a slow host must not pile up calls: one read at a time, the next poll joins it
    if (inFlight) return inFlight;
    inFlight = (async () => {
      try {
        const before = storedFingerprint(get().status);
        const [status, { devices }] = await Promise.all([api().call('sync.status', {}), api().call('device.list', {})]);
        const linked = get().accepted && !status.pairing;
        set({ status, devices, error: null, ...(linked ? { accepted: null } : {}) });
        // the pairing ended here: this device now speaks as its person (another name, other spaces)
        if (linked) void Promise.all([useSession.getState().refresh(), useSpaces.getState().load()]).catch(() => {});
        // entries arrived from a peer (no event says so): what the other screens show is stale
        if (before && storedFingerprint(status) !== before) {
          void useSpaces.getState().load().catch(() => {});
          void useMemories.getState().refreshTop();
        }
      } catch (e) {
        set({ error: describeError(e) });
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  },
  watch() {
    set({ watchers: get().watchers + 1 });
    void get().load();
    timer ??= setInterval(() => void get().load(), POLL_MS);
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
    if (get().offer && !r.adopted) set({ offer: null }); // the invite is single-use: it linked this device
    await get().load();
    return r.adopted;
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
}));
