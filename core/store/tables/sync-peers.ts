import { query } from '../query';

/** What the last session with a peer established, per space (ids and times only). */
export interface SyncPeerRow { space_id: string; last_seen: number | null; verified_at: number | null }

export const syncPeersTable = {
  /** verified_at is kept when this sighting did not verify */
  record: query<[string, string, number, number | null]>(`INSERT INTO sync_peers (device_id, space_id, last_seen, verified_at) VALUES (?, ?, ?, ?)
    ON CONFLICT(device_id, space_id) DO UPDATE SET last_seen = excluded.last_seen, verified_at = COALESCE(excluded.verified_at, sync_peers.verified_at)`).run,
  ofDevice: query<[string], SyncPeerRow>('SELECT space_id, last_seen, verified_at FROM sync_peers WHERE device_id = ?').all,
};
