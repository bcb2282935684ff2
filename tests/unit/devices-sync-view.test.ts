import { describe, expect, it } from 'vitest';
import type { Device } from '../../contracts/types';
import { qrPath } from '../../renderer/src/lib/qr';
import { deviceLabel, ownDevices, sinceText, spaceSyncText, storedFingerprint, type PeerStatus } from '../../renderer/src/lib/sync-view';

describe('devices & sync view helpers', () => {
  it('draws a QR code as runs of dark modules, finder pattern included', () => {
    const invite = 'mos1.' + 'x'.repeat(300);
    const { size, d } = qrPath(invite);
    expect(size).toBeGreaterThanOrEqual(21);
    expect((size - 17) % 4).toBe(0); // a real QR version: 21, 25, 29, … modules
    // the top-left finder pattern: its first row is one run of 7 dark modules
    expect(d.startsWith('M0 0h7v1h-7z')).toBe(true);
    expect(qrPath(invite).d).toBe(d); // deterministic: React memoises on the text
  });

  it('labels devices, times and per-space sync states for people, not vectors', () => {
    expect(deviceLabel({ device_id: '01JD00000000000000000ABCDEF', platform: 'linux' })).toBe('linux · …ABCDEF');
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(sinceText(null, now)).toBe('never');
    expect(sinceText('2026-11-25T09:59:58Z', now)).toBe('just now');
    expect(sinceText('2026-11-25T09:57:00Z', now)).toBe('3 minutes ago');
    const base = { space_id: 'personal:me', verified_at: null };
    expect(spaceSyncText({ ...base, behind: 0, ahead: 0, verified_up_to_date: true }, true)).toBe('verified up to date');
    expect(spaceSyncText({ ...base, behind: 2, ahead: 1, verified_up_to_date: false }, true)).toBe('2 to receive, 1 to send');
    expect(spaceSyncText({ ...base, behind: null, ahead: null, verified_up_to_date: false }, false)).toBe('not compared yet');
  });

  it("lists this person's devices, this one first, with their peer rows", () => {
    const dev = (id: string, member: string, mine = false, at = '2026-11-25T10:00:00Z'): Device => ({ device_id: id, member_id: member, platform: 'linux', ed25519_public_key: '', x25519_public_key: '', this_device: mine, created_at: at });
    const peer = { device_id: 'D2', member_id: 'M1', status: 'trusted', connected: true, transport: 'direct', last_seen: null, spaces: [] } as PeerStatus;
    const rows = ownDevices([dev('D2', 'M1', false, '2026-11-25T09:00:00Z'), dev('D3', 'M2'), dev('D1', 'M1', true)], [peer], 'M1');
    expect(rows.map((r) => r.device.device_id)).toEqual(['D1', 'D2']);
    expect(rows[1].peer).toBe(peer);
    expect(storedFingerprint(null)).toBe('');
  });
});
