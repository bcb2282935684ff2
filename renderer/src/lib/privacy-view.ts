import type { Device } from '../../../contracts/types';
import { deviceLabel, type PeerStatus } from './sync-view';

/** The word a person types before an erasure: what it does, in capitals, not a "yes" typed by habit. */
export const ERASE_WORD = 'ERASE';

/** "1.4 MB", "820 KB", "312 bytes" (decimal units, as file managers show them). */
export function formatBytes(n: number): string {
  if (!(n >= 0)) return '';
  if (n < 1000) return `${n} byte${n === 1 ? '' : 's'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

/** The finished export job's result (contracts/api/methods/privacy.export.json). */
export interface ExportResult {
  path: string; bytes: number; files: number; memories: number; encrypted: boolean;
  manifest_sha256: string; signing_device_id: string; signing_public_key: string;
}

/** The finished verify job's result (contracts/api/methods/privacy.verifyExport.json). */
export type VerifyResult = { valid: true; files: number; encrypted: boolean } | { valid: false; first_bad?: { path: string; reason: string } };

export function asExportResult(r: Record<string, unknown> | null): ExportResult | null {
  return r && typeof r.path === 'string' && typeof r.bytes === 'number' ? (r as unknown as ExportResult) : null;
}

export function asVerifyResult(r: Record<string, unknown> | null): VerifyResult | null {
  return r && typeof r.valid === 'boolean' ? (r as unknown as VerifyResult) : null;
}

/** "37 %" for a job's {done, total}; null while the total is not known yet. */
export function percent(p: { done: number; total: number }): number | null {
  return p.total > 0 ? Math.min(100, Math.round((p.done / p.total) * 100)) : null;
}

/** One device an erasure reaches, said as a person would: whose, which, and when it happens there. */
export interface ReachedDevice { device_id: string; label: string; when: string }

/**
 * Where an erasure goes (SPEC §8): this device at once, and every other device of the vault that
 * is not revoked, by its tombstone: a connected one now, an offline one when it next syncs. A
 * device still waiting for its pairing to be confirmed receives nothing, so it is not named.
 */
export function eraseReach(devices: Device[], peers: PeerStatus[], personName: (memberId: string) => string | undefined): { here: ReachedDevice | null; peers: ReachedDevice[] } {
  const byId = new Map(peers.map((p) => [p.device_id, p]));
  const name = (d: Device) => {
    const who = personName(d.member_id);
    return who ? `${who}’s ${deviceLabel(d)}` : deviceLabel(d);
  };
  const thisOne = devices.find((d) => d.this_device) ?? null;
  const others = devices
    .filter((d) => !d.this_device)
    .filter((d) => { const s = byId.get(d.device_id)?.status; return s !== 'revoked' && s !== 'pending'; })
    .sort((a, b) => a.created_at.localeCompare(b.created_at))
    .map((d) => ({
      device_id: d.device_id,
      label: name(d),
      when: byId.get(d.device_id)?.connected ? 'connected: erased there now' : 'offline: erased there when it next syncs',
    }));
  return { here: thisOne ? { device_id: thisOne.device_id, label: name(thisOne), when: 'at once' } : null, peers: others };
}
