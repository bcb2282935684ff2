import type { Device, SyncStatusResponse } from '../../../contracts/types';

export type PeerStatus = SyncStatusResponse['peers'][number];
export type PeerSpace = PeerStatus['spaces'][number];

/**
 * A device has no name of its own: its platform and the tail of its id (the random part of the
 * ULID; the head is a timestamp shared by devices made the same minute) tell two apart.
 */
export function deviceLabel(d: { device_id: string; platform?: string; name?: string }): string {
  if (d.name) return d.name;
  const tail = d.device_id.slice(-6);
  return d.platform ? `${d.platform} · …${tail}` : `…${tail}`;
}

/** "just now", "3 minutes ago", "2 hours ago", or a date for anything older than a day. */
export function sinceText(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'never';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 10) return 'just now';
  if (s < 60) return `${s} seconds ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'} ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} hour${h === 1 ? '' : 's'} ago`;
  return new Date(t).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** One line for a peer and space: what a person needs to know, not the vectors. */
export function spaceSyncText(s: PeerSpace, connected: boolean): string {
  if (s.verified_up_to_date) return 'verified up to date';
  if (s.behind === null || s.ahead === null) {
    return s.verified_at ? `last verified ${sinceText(s.verified_at)}` : connected ? 'comparing…' : 'not compared yet';
  }
  const parts: string[] = [];
  if (s.behind) parts.push(`${s.behind} to receive`);
  if (s.ahead) parts.push(`${s.ahead} to send`);
  return parts.length ? parts.join(', ') : 'in step, verifying…';
}

/** Every device of this person, with the peer row sync.status keeps for it (none for this device). */
export function ownDevices(devices: Device[], peers: PeerStatus[], memberId: string | null): { device: Device; peer: PeerStatus | null }[] {
  const byId = new Map(peers.map((p) => [p.device_id, p]));
  return devices
    .filter((d) => d.this_device || d.member_id === memberId)
    .map((device) => ({ device, peer: byId.get(device.device_id) ?? null }))
    .sort((a, b) => Number(b.device.this_device) - Number(a.device.this_device) || a.device.created_at.localeCompare(b.device.created_at));
}

/** A fingerprint of what sync has stored: when it moves, the memory list and spaces are read again. */
export function storedFingerprint(s: SyncStatusResponse | null): string {
  if (!s) return '';
  return s.spaces.map((x) => `${x.space_id}:${x.entries}`).join('|');
}
