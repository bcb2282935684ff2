import { describe, expect, it } from 'vitest';
import { toSharePreview } from '../../../renderer/src/lib/share-preview';

const decision = (effect: 'ALLOW' | 'DENY', obligations: string[], codes: string[]) => ({
  effect, obligations, policy_version: '1.0.0', reasons: codes.map((code) => ({ code, message: code.toLowerCase() })),
});

describe('share preview (the core decision, explained)', () => {
  it('asks for consent and says so as a remedy', () => {
    const p = toSharePreview(decision('DENY', ['UNDO_WINDOW:PT15M', 'AUDIT_ACCESS'], ['CONSENT_REQUIRED']), 'AMBER');
    expect(p).toMatchObject({ effect: 'DENY', needsConsent: true, staged: true });
    expect(p.remedies).toEqual(['Tick the consent box to allow it.']);
  });
  it('tells RED and BLACK apart in what would allow them', () => {
    expect(toSharePreview(decision('DENY', [], ['BAND_BLOCKS_SHARE']), 'RED').remedies[0]).toMatch(/Lower the band/);
    expect(toSharePreview(decision('DENY', [], ['BAND_BLOCKS_SHARE']), 'BLACK').remedies[0]).toMatch(/never leave this device/);
  });
  it('a GREEN share is immediate, an allowed AMBER share is staged', () => {
    expect(toSharePreview(decision('ALLOW', [], []), 'GREEN')).toMatchObject({ effect: 'ALLOW', staged: false, remedies: [], reasons: [{ code: 'IMMEDIATE' }] });
    expect(toSharePreview(decision('ALLOW', ['UNDO_WINDOW:PT15M'], ['STAGED']), 'AMBER')).toMatchObject({ effect: 'ALLOW', staged: true, needsConsent: false });
  });
});
