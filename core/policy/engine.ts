import type { Band, Capability, Decision, Role, SpaceKind } from '../../contracts/types';
import { ApiError } from '../shared/errors';
import { policyDocument } from './policy-document';
import { article } from '../shared/text';

export type PolicyAction =
  | 'memory.create' | 'memory.read' | 'memory.preview' | 'memory.update' | 'memory.delete'
  | 'memory.share' | 'memory.setBand' | 'space.admin';

export interface PolicyInput {
  action: PolicyAction;
  actor: { member_id: string; role: Role | null };
  /** the band the action is about (for setBand: the current band) */
  band: Band;
  /** the device deciding (BLACK is readable only on its origin device) */
  device_id: string;
  memory?: { author: string; recipients: string[]; origin_device: string };
  /** memory.share: the kinds of the two spaces; consent to move up the hierarchy */
  share?: { from: SpaceKind; to: SpaceKind; consent: boolean };
  /** memory.setBand: the band asked for, and whether the actor re-authenticated */
  newBand?: Band;
  reauth?: boolean;
  /** memory.delete of BLACK needs explicit confirmation */
  confirm?: boolean;
  undoWindowSeconds: number;
}

type Reason = { code: string; message: string };

export function capsOf(role: Role | null): Capability[] {
  return role ? [...policyDocument().roles[role].caps] : [];
}

export function undoObligation(seconds: number): string {
  return seconds % 60 === 0 ? `UNDO_WINDOW:PT${seconds / 60}M` : `UNDO_WINDOW:PT${seconds}S`;
}

/** Obligations a band carries, with the undo window as currently set. */
export function bandObligations(band: Band, undoWindowSeconds: number): string[] {
  return policyDocument().bands[band].obligations.map((o) => (o.startsWith('UNDO_WINDOW:') ? undoObligation(undoWindowSeconds) : o));
}

/**
 * The policy decision point: bands and roles exactly as contracts/policy/policy.json says.
 * Cryptography is the first line (who holds the key); this is the second (what the router allows).
 */
export function decide(input: PolicyInput): Decision {
  const p = policyDocument();
  const deny: Reason[] = [];
  const notes: Reason[] = [];
  const { actor, band } = input;
  const obligations = new Set(bandObligations(band, input.undoWindowSeconds));
  const role = actor.role;
  const caps = capsOf(role);
  const isAuthor = !!input.memory && input.memory.author === actor.member_id;
  const onOrigin = !!input.memory && input.memory.origin_device === input.device_id;
  const isRecipient = !!input.memory && input.memory.recipients.includes(actor.member_id);
  const need = (cap: Capability, why: string) => {
    if (!caps.includes(cap)) deny.push({ code: `MISSING_CAP_${cap}`, message: `${article(role ?? "non-member")} ${why}` });
  };
  const bandAllowed = (b: Band) => {
    if (role && !p.roles[role].bands.includes(b)) deny.push({ code: 'ROLE_BAND', message: `${article(role)} may only use ${p.roles[role].bands.join(', ')} memories, not ${b}` });
  };
  const readable = () => {
    if (band === 'RED' && !isAuthor && !isRecipient) deny.push({ code: 'RED_NOT_RECIPIENT', message: 'RED memories are readable only by their author and named recipients' });
    if (band === 'BLACK' && !(isAuthor && onOrigin)) deny.push({ code: 'BLACK_LOCAL_ONLY', message: 'BLACK memories are readable only by their author on the device that wrote them' });
  };

  if (!role) {
    deny.push({ code: 'NOT_A_MEMBER', message: 'the acting member is not a member of this space' });
  } else {
    switch (input.action) {
      case 'memory.create':
        need('WRITE', 'cannot write here');
        bandAllowed(band);
        break;
      case 'memory.read':
      case 'memory.preview':
        need('RECALL', 'cannot read here');
        bandAllowed(band);
        if (input.action === 'memory.read' || band === 'BLACK') readable();
        break;
      case 'memory.update':
        need('WRITE', 'cannot edit here');
        bandAllowed(band);
        readable();
        break;
      case 'memory.delete':
        need('WRITE', 'cannot delete here');
        bandAllowed(band);
        readable();
        if (band !== 'GREEN' && !isAuthor && role !== 'guardian') deny.push({ code: 'NOT_AUTHOR', message: `only the author or a guardian deletes ${article(band)} memory` });
        if (band === 'BLACK' && !input.confirm) deny.push({ code: 'CONFIRM_REQUIRED', message: 'deleting a BLACK memory shreds it for good: pass confirm=true' });
        if (p.bands[band].delete === 'staged_trash') notes.push({ code: 'STAGED', message: `${article(band)} deletion waits in the undo window before it takes effect` });
        break;
      case 'memory.share': {
        need('PROJECT', 'cannot share out of a space');
        bandAllowed(band);
        readable();
        const rule = p.bands[band].share;
        if (rule === 'denied') deny.push({ code: 'BAND_BLOCKS_SHARE', message: `${band} memories cannot be shared; lower the band first` });
        if (input.share && rule === 'staged') {
          const up = p.space_hierarchy.indexOf(input.share.to) > p.space_hierarchy.indexOf(input.share.from);
          if (up && !input.share.consent) deny.push({ code: 'CONSENT_REQUIRED', message: `sharing an AMBER memory from ${article(input.share.from)} space up to ${article(input.share.to)} space needs consent=true` });
          notes.push({ code: 'STAGED', message: 'an AMBER share waits in the undo window before anyone else can see it' });
        }
        break;
      }
      case 'memory.setBand': {
        const to = input.newBand ?? band;
        need('WRITE', 'cannot change bands');
        bandAllowed(band);
        bandAllowed(to);
        readable();
        const lowering = p.bands[to].rank < p.bands[band].rank;
        if (to === 'BLACK' && band !== 'BLACK') deny.push({ code: 'BLACK_AT_CREATION_ONLY', message: 'a memory becomes BLACK only when it is written: it may already have left this device' });
        if (lowering) {
          const rule = p.bands[band].lower;
          if (rule === 'author_or_guardian_staged' && !isAuthor && role !== 'guardian') deny.push({ code: 'NOT_AUTHOR', message: `only the author or a guardian lowers ${article(band)} memory` });
          if (rule === 'author_reauth_staged' || rule === 'author_origin_reauth_staged') {
            if (!isAuthor) deny.push({ code: 'NOT_AUTHOR', message: `only the author lowers ${article(band)} memory` });
            if (!input.reauth) deny.push({ code: 'REAUTH_REQUIRED', message: `lowering ${article(band)} memory needs the passphrase again (reauth)` });
          }
          if (rule === 'author_origin_reauth_staged' && !onOrigin) deny.push({ code: 'NOT_ORIGIN_DEVICE', message: 'a BLACK memory is lowered only on the device that wrote it' });
          obligations.add(undoObligation(input.undoWindowSeconds));
          notes.push({ code: 'STAGED', message: 'lowering a band waits in the undo window' });
        }
        break;
      }
      case 'space.admin':
        need('ADMIN', 'cannot administer members');
        break;
    }
  }
  if (deny.length) return { effect: 'DENY', obligations: [...obligations], reasons: deny, policy_version: p.policy_version };
  const redacted = input.action === 'memory.preview' && !isAuthor && (band === 'AMBER' || band === 'RED');
  return { effect: redacted ? 'ALLOW_REDACTED' : 'ALLOW', obligations: [...obligations], reasons: notes, policy_version: p.policy_version };
}

/** A FORBIDDEN for a rule outside the band/role table, in the same shape as a policy DENY. */
export function forbidden(code: string, message: string): ApiError {
  return new ApiError('FORBIDDEN', message, { reasons: [{ code, message }], policy_version: policyDocument().policy_version, obligations: [] });
}

/** Throws the structured FORBIDDEN error a DENY becomes at the API. */
export function enforce(decision: Decision): Decision {
  if (decision.effect === 'DENY') {
    throw new ApiError('FORBIDDEN', decision.reasons.map((r) => r.message).join('; '), {
      reasons: decision.reasons, policy_version: decision.policy_version, obligations: decision.obligations,
    });
  }
  return decision;
}
