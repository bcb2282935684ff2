import { describe, expect, it } from 'vitest';
import { previewShare } from '../../../renderer/src/lib/share-preview';

const base = { from: 'personal', to: 'shared', roleInSource: 'guardian', roleInTarget: 'guardian', consent: false } as const;

describe('share preview (from contracts/policy/policy.json)', () => {
  it('GREEN shares immediately', () => {
    const p = previewShare({ ...base, band: 'GREEN' });
    expect(p.effect).toBe('ALLOW');
    expect(p.staged).toBe(false);
  });
  it('AMBER up the hierarchy needs consent, then is staged', () => {
    const no = previewShare({ ...base, band: 'AMBER' });
    expect(no.effect).toBe('DENY');
    expect(no.reasons.map((r) => r.code)).toContain('CONSENT_REQUIRED');
    expect(no.remedies.join(' ')).toMatch(/consent/);
    const yes = previewShare({ ...base, band: 'AMBER', consent: true });
    expect(yes.effect).toBe('ALLOW');
    expect(yes.staged).toBe(true);
    expect(yes.reasons[0].code).toBe('STAGED');
  });
  it('AMBER down the hierarchy needs no consent', () => {
    expect(previewShare({ ...base, band: 'AMBER', from: 'shared', to: 'personal' }).effect).toBe('ALLOW');
  });
  it('RED and BLACK are denied with what would allow it', () => {
    for (const band of ['RED', 'BLACK'] as const) {
      const p = previewShare({ ...base, band });
      expect(p.effect).toBe('DENY');
      expect(p.reasons.map((r) => r.code)).toContain('BAND_BLOCKS_SHARE');
      expect(p.remedies.length).toBeGreaterThan(0);
    }
  });
  it('roles limit: a child cannot share out, a guest cannot write AMBER in the target', () => {
    expect(previewShare({ ...base, band: 'GREEN', roleInSource: 'child' }).reasons.map((r) => r.code)).toContain('MISSING_CAP_PROJECT');
    expect(previewShare({ ...base, band: 'AMBER', consent: true, roleInTarget: 'guest' }).reasons.map((r) => r.code)).toContain('ROLE_BAND');
    expect(previewShare({ ...base, band: 'GREEN', roleInTarget: null }).reasons.map((r) => r.code)).toContain('NOT_A_MEMBER');
  });
});
