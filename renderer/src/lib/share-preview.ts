import type { Band, Reason, Role, SpaceKind } from '../../../contracts/types';
import policy from '../../../contracts/policy/policy.json';

/**
 * What the policy will decide for a share, shown before the person confirms. It reads the same
 * policy document the core enforces (contracts/policy/policy.json); the core's answer to the
 * actual call is still the authority and replaces this preview when it differs.
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
}

export interface ShareInput {
  band: Band;
  from: SpaceKind;
  to: SpaceKind;
  roleInSource: Role | null;
  roleInTarget: Role | null;
  consent: boolean;
}

type PolicyDoc = {
  policy_version: string;
  space_hierarchy: SpaceKind[];
  bands: Record<string, { share: string }>;
  roles: Record<string, { caps: string[]; bands: string[] }>;
};
const doc = policy as unknown as PolicyDoc;

export function previewShare(i: ShareInput): SharePreview {
  const reasons: Reason[] = [];
  const remedies: string[] = [];
  const rule = doc.bands[i.band]?.share ?? 'denied';
  const src = i.roleInSource ? doc.roles[i.roleInSource] : null;
  const dst = i.roleInTarget ? doc.roles[i.roleInTarget] : null;
  if (!src) { reasons.push({ code: 'NOT_A_MEMBER', message: 'you are not a member of this memory’s space' }); }
  else if (!src.caps.includes('PROJECT')) {
    reasons.push({ code: 'MISSING_CAP_PROJECT', message: `a ${i.roleInSource} cannot share out of a space` });
    remedies.push('Ask a guardian of the space to share it, or to give you an adult role.');
  }
  if (!dst) {
    reasons.push({ code: 'NOT_A_MEMBER', message: 'you are not a member of the target space' });
    remedies.push('Ask a guardian of the target space to add you.');
  } else if (!dst.caps.includes('WRITE') || !dst.bands.includes(i.band)) {
    reasons.push({ code: 'ROLE_BAND', message: `as a ${i.roleInTarget} you cannot write ${i.band} memories in the target space` });
    remedies.push('Pick a space where you may write this band.');
  }
  if (rule === 'denied') {
    reasons.push({ code: 'BAND_BLOCKS_SHARE', message: `${i.band} memories cannot be shared; lower the band first` });
    remedies.push(i.band === 'BLACK' ? 'Black memories never leave this device: copy what may be shared into a new memory.' : 'Lower the band to Amber or Green in the editor, then share.');
  }
  const up = doc.space_hierarchy.indexOf(i.to) > doc.space_hierarchy.indexOf(i.from);
  const needsConsent = rule === 'staged' && up;
  if (needsConsent && !i.consent) {
    reasons.push({ code: 'CONSENT_REQUIRED', message: `sharing an AMBER memory from a ${i.from} space up to a ${i.to} space needs your consent` });
    remedies.push('Tick the consent box to allow it.');
  }
  const effect = reasons.length ? 'DENY' : 'ALLOW';
  const notes: Reason[] = effect === 'ALLOW' && rule === 'staged'
    ? [{ code: 'STAGED', message: 'an AMBER share waits in the undo window before anyone else can see it' }]
    : effect === 'ALLOW' ? [{ code: 'IMMEDIATE', message: 'a GREEN share is copied into the target space right away' }] : [];
  return { effect, staged: rule === 'staged', needsConsent, reasons: effect === 'DENY' ? reasons : notes, remedies, policy_version: doc.policy_version };
}
