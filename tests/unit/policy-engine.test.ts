import { describe, expect, it } from 'vitest';
import { authorize as decide, type PolicyInput } from '../../core/policy/authorize';
import policy from '../../contracts/policy/policy.json';

const AUTHOR = 'A'.repeat(26);
const OTHER = 'B'.repeat(26);
const DEV = 'D'.repeat(26);
const base = (over: Partial<PolicyInput>): PolicyInput => ({
  action: 'memory.read', actor: { member_id: AUTHOR, role: 'adult' }, band: 'GREEN', device_id: DEV,
  memory: { author: AUTHOR, recipients: [], origin_device: DEV }, undoWindowSeconds: 900, ...over,
});
const codes = (i: Partial<PolicyInput>) => decide(base(i)).reasons.map((r) => r.code);

describe('policy engine (spec §4)', () => {
  it('returns effect, obligations, reasons and policy_version', () => {
    expect(decide(base({ band: 'AMBER' }))).toEqual({ effect: 'ALLOW', obligations: ['UNDO_WINDOW:PT15M', 'AUDIT_ACCESS'], reasons: [], policy_version: policy.policy_version });
    expect(decide(base({ band: 'BLACK' })).obligations).toEqual(['REDACT_CONTENT', 'BLOCK_PROJECTION', 'LOCAL_ONLY', 'AUDIT_ACCESS']);
    expect(decide(base({ band: 'RED' })).obligations).toEqual(['REDACT_CONTENT', 'AUDIT_ACCESS']);
    expect(decide(base({ band: 'AMBER', undoWindowSeconds: 90 })).obligations[0]).toBe('UNDO_WINDOW:PT90S');
  });

  it('RED is for the author and named recipients', () => {
    const red = { band: 'RED' as const, actor: { member_id: OTHER, role: 'adult' as const } };
    expect(codes(red)).toEqual(['RED_NOT_RECIPIENT']);
    expect(decide(base({ ...red, memory: { author: AUTHOR, recipients: [OTHER], origin_device: DEV } })).effect).toBe('ALLOW');
    expect(decide(base({ ...red, action: 'memory.preview' })).effect).toBe('ALLOW_REDACTED');
  });

  it('BLACK is for the author on the origin device only', () => {
    expect(decide(base({ band: 'BLACK' })).effect).toBe('ALLOW');
    expect(codes({ band: 'BLACK', device_id: 'E'.repeat(26) })).toEqual(['BLACK_LOCAL_ONLY']);
    expect(codes({ band: 'BLACK', action: 'memory.preview', actor: { member_id: OTHER, role: 'guardian' } })).toEqual(['BLACK_LOCAL_ONLY']);
  });

  it('roles limit bands and capabilities', () => {
    expect(codes({ band: 'RED', actor: { member_id: AUTHOR, role: 'child' } })).toContain('ROLE_BAND');
    expect(codes({ band: 'AMBER', actor: { member_id: AUTHOR, role: 'guest' } })).toEqual(['ROLE_BAND']);
    expect(codes({ action: 'memory.create', actor: { member_id: AUTHOR, role: 'guest' } })).toEqual(['MISSING_CAP_WRITE']);
    expect(codes({ action: 'memory.share', actor: { member_id: AUTHOR, role: 'child' }, share: { from: 'shared', to: 'extended', consent: true } })).toEqual(['MISSING_CAP_PROJECT']);
    expect(codes({ action: 'space.admin', actor: { member_id: AUTHOR, role: 'adult' } })).toEqual(['MISSING_CAP_ADMIN']);
    expect(codes({ actor: { member_id: AUTHOR, role: null } })).toEqual(['NOT_A_MEMBER']);
  });

  it('shares: GREEN at once, AMBER staged with consent to move up, RED and BLACK denied', () => {
    const share = (band: PolicyInput['band'], to: 'selective' | 'extended', consent = false) => decide(base({ action: 'memory.share', band, share: { from: 'shared', to, consent } }));
    expect(share('GREEN', 'extended').effect).toBe('ALLOW');
    expect(share('AMBER', 'selective').reasons.map((r) => r.code)).toEqual(['STAGED']);
    expect(share('AMBER', 'extended').reasons.map((r) => r.code)).toContain('CONSENT_REQUIRED');
    expect(share('AMBER', 'extended', true).effect).toBe('ALLOW');
    expect(share('RED', 'selective').reasons.map((r) => r.code)).toEqual(['BAND_BLOCKS_SHARE']);
    expect(share('BLACK', 'selective').reasons.map((r) => r.code)).toContain('BAND_BLOCKS_SHARE');
  });

  it('lowering a band: AMBER by author or guardian; RED by the author with re-auth; BLACK also on its device', () => {
    const lower = (band: PolicyInput['band'], to: PolicyInput['band'], over: Partial<PolicyInput> = {}) => codes({ action: 'memory.setBand', band, newBand: to, ...over });
    expect(lower('AMBER', 'GREEN')).toEqual(['STAGED']);
    expect(lower('AMBER', 'GREEN', { actor: { member_id: OTHER, role: 'adult' } })).toContain('NOT_AUTHOR');
    expect(lower('AMBER', 'GREEN', { actor: { member_id: OTHER, role: 'guardian' } })).toEqual(['STAGED']);
    expect(lower('RED', 'AMBER')).toContain('REAUTH_REQUIRED');
    expect(lower('RED', 'AMBER', { reauth: true })).toEqual(['STAGED']);
    expect(lower('BLACK', 'RED', { reauth: true, device_id: 'E'.repeat(26) })).toContain('NOT_ORIGIN_DEVICE');
    expect(lower('GREEN', 'BLACK')).toContain('BLACK_AT_CREATION_ONLY');
    expect(decide(base({ action: 'memory.setBand', band: 'GREEN', newBand: 'RED' })).effect).toBe('ALLOW');
  });

  it('deletes: BLACK needs confirmation; others need the author or a guardian beyond GREEN', () => {
    expect(codes({ action: 'memory.delete', band: 'BLACK' })).toEqual(['CONFIRM_REQUIRED']);
    expect(decide(base({ action: 'memory.delete', band: 'BLACK', confirm: true })).effect).toBe('ALLOW');
    expect(codes({ action: 'memory.delete', band: 'AMBER', actor: { member_id: OTHER, role: 'adult' } })).toContain('NOT_AUTHOR');
    expect(codes({ action: 'memory.delete', band: 'GREEN', actor: { member_id: OTHER, role: 'adult' } })).toEqual([]);
  });
});
