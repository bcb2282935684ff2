import { describe, expect, it } from 'vitest';
import type { Device } from '../../../contracts/types';
import { jobErrorSentence } from '../../../renderer/src/api/errors';
import { eraseReach, formatBytes, percent } from '../../../renderer/src/lib/privacy-view';
import { checkRetention } from '../../../renderer/src/lib/settings-form';
import type { PeerStatus } from '../../../renderer/src/lib/sync-view';

const dev = (id: string, member: string, thisDevice = false, created = '2026-11-25T10:00:00.000Z'): Device => ({
  device_id: id, member_id: member, platform: 'linux', ed25519_public_key: 'A', x25519_public_key: 'A', this_device: thisDevice, created_at: created,
});
const peer = (id: string, status: PeerStatus['status'], connected: boolean): PeerStatus => ({
  device_id: id, member_id: 'M1', status, connected, transport: connected ? 'direct' : null, last_seen: null, spaces: [],
});

describe('the Privacy center’s words', () => {
  it('sizes in decimal units, exact under a kilobyte', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(611_283)).toBe('611 KB');
    expect(formatBytes(1_450_000)).toBe('1.4 MB');
    expect(formatBytes(-1)).toBe('');
  });

  it('progress is a percentage once the total is known', () => {
    expect(percent({ done: 0, total: 0 })).toBeNull();
    expect(percent({ done: 256, total: 407 })).toBe(63);
    expect(percent({ done: 9, total: 3 })).toBe(100);
  });

  it('an erasure reaches this device and every linked device by whose it is, not the revoked nor the unconfirmed', () => {
    const devices = [dev('D-HERE-000001', 'M1', true), dev('D-LAPTOP-0002', 'M1'), dev('D-GONE-000003', 'M1'), dev('D-PEND-000004', 'M1'), dev('D-BEN-0000005', 'M2', false, '2026-11-26T10:00:00.000Z')];
    const peers = [peer('D-LAPTOP-0002', 'trusted', true), peer('D-GONE-000003', 'revoked', false), peer('D-PEND-000004', 'pending', true)];
    const names = (id: string) => ({ M1: 'Ann', M2: 'Ben' } as Record<string, string>)[id];
    const r = eraseReach(devices, peers, names);
    expect(r.here).toMatchObject({ device_id: 'D-HERE-000001', label: 'Ann’s linux · …000001' });
    expect(r.peers.map((p) => p.device_id)).toEqual(['D-LAPTOP-0002', 'D-BEN-0000005']);
    expect(r.peers[0]).toMatchObject({ label: 'Ann’s linux · …P-0002', when: 'connected: erased there now' });
    expect(r.peers[1]).toMatchObject({ label: 'Ben’s linux · …000005', when: 'offline: erased there when it next syncs' });
  });

  it('retention is 1 to 3650 whole days', () => {
    expect(checkRetention('7')).toEqual({ days: 7 });
    for (const bad of ['0', '3651', '', '2.5', 'ten']) expect(checkRetention(bad)).toHaveProperty('problem');
  });

  it('a job that died with its process has a sentence of its own; other job errors are API errors', () => {
    expect(jobErrorSentence({ code: 'INTERRUPTED', message: 'the process running the job stopped' }, 'privacy.export')).toMatch(/^MemoryOS stopped before the job finished/);
    expect(jobErrorSentence({ code: 'BAD_CREDENTIALS', message: 'wrong passphrase' }, 'privacy.verifyExport')).toBe('That passphrase is not right.');
  });
});
