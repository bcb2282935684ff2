import type { Band, Decision, Reason } from '../../../contracts/types';

/**
 * The core's decision for a share, asked with `memory.share {dry_run: true}` before the person
 * confirms, plus what the dialog needs to explain it. The rules live in the core only.
 */
export interface SharePreview {
  effect: 'ALLOW' | 'DENY';
  /** ALLOW that waits in the undo window */
  staged: boolean;
  /** moving AMBER up the space hierarchy: allowed only with consent */
  needsConsent: boolean;
  reasons: Reason[];
  /** what would allow a DENY */
  remedies: string[];
  policy_version: string;
  obligations: string[];
}

// What a person can do about each reason the policy gives.
const REMEDIES: Record<string, (band: Band) => string> = {
  CONSENT_REQUIRED: () => 'Tick the consent box to allow it.',
  BAND_BLOCKS_SHARE: (band) => (band === 'BLACK'
    ? 'Black memories never leave this device: copy what may be shared into a new memory.'
    : 'Lower the band to Amber or Green in the editor, then share.'),
  MISSING_CAP_PROJECT: () => 'Ask a guardian of the space to share it, or to give you an adult role.',
  NOT_A_MEMBER: () => 'Ask a guardian of the target space to add you.',
  MISSING_CAP_WRITE: () => 'Pick a space where you may write.',
  ROLE_BAND: () => 'Pick a space where you may write this band.',
};

export function toSharePreview(decision: Decision, band: Band): SharePreview {
  const effect = decision.effect === 'DENY' ? 'DENY' : 'ALLOW';
  const codes = decision.reasons.map((r) => r.code);
  return {
    effect,
    staged: decision.obligations.some((o) => o.startsWith('UNDO_WINDOW:')) && band !== 'GREEN',
    needsConsent: codes.includes('CONSENT_REQUIRED'),
    reasons: decision.reasons.length || effect === 'DENY' ? decision.reasons
      : [{ code: 'IMMEDIATE', message: 'a GREEN share is copied into the target space right away' }],
    remedies: effect === 'DENY' ? [...new Set(codes.flatMap((c) => (REMEDIES[c] ? [REMEDIES[c](band)] : [])))] : [],
    policy_version: decision.policy_version,
    obligations: decision.obligations,
  };
}
