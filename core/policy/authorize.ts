import type { Band, Capability, Decision, Role, SpaceKind } from '../../contracts/types';
import { ApiError } from '../shared/errors';
import { article } from '../shared/text';
import { bandRank, policyDocument, type ActionScope } from './policy-document';
import { previewRule } from './redaction';

/** Every action a method contract may name (contracts/policy/policy.json lists the same set). */
export type PolicyAction =
  | 'vault.open' | 'vault.lock' | 'vault.passphrase' | 'system.read' | 'vault.read' | 'profile.create' | 'profile.switch' | 'profile.pin' | 'settings.change'
  | 'device.pair.offer' | 'device.pair.accept' | 'device.confirm' | 'invite.manage' | 'device.revoke' | 'device.rename' | 'sync.control'
  | 'space.create' | 'space.list' | 'space.read' | 'space.admin' | 'space.join'
  | 'memory.create' | 'memory.read' | 'memory.preview' | 'memory.search' | 'memory.update' | 'memory.delete' | 'memory.share' | 'memory.setBand' | 'memory.erase'
  | 'attachment.add' | 'attachment.read' | 'attachment.delete'
  | 'undo.read' | 'undo.apply' | 'events.read' | 'audit.read' | 'audit.verify'
  | 'job.read' | 'import.run' | 'privacy.export' | 'privacy.verify' | 'privacy.erase' | 'trash.read' | 'trash.empty';

/** The acting member as the decision sees it. `local` and `owner` default to a local non-owner. */
export interface PolicyActor { member_id: string; role: Role | null; local?: boolean; owner?: boolean }

export interface PolicyInput {
  action: PolicyAction;
  /**
   * `call`: what the router decides before a method runs, from who acts alone (a local member?
   * the vault owner?). `resource` (the default): the whole rule, from the facts the caller names.
   */
  stage?: 'call' | 'resource';
  actor: PolicyActor;
  /**
   * the profile the caller's host session is bound to (session.switchProfile): on that session
   * nobody else acts, whatever the call's `as` says. Undefined: a session bound to no profile.
   */
  session_member?: string;
  /** the band the action is about (for memory.setBand: the current band); GREEN when none */
  band?: Band;
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
  /** device.revoke: whether the device is the acting member's own, or its member is in a space the actor guards */
  target_device?: { own: boolean; actor_guards_its_member: boolean };
  /** privacy.export / privacy.erase: whose data */
  subject_id?: string;
  /** privacy.export: BLACK memories asked for (they need reauth) */
  include_black?: boolean;
  /** undo.apply: who staged the action (actor.role is the role in the action's space) */
  staged_by?: string;
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

export const scopeOf = (action: string): ActionScope | null => policyDocument().actions[action]?.scope ?? null;

/**
 * The one policy decision point. Every method's contract names its action; the router asks at
 * the `call` stage, and the domain asks again with the resource's authenticated facts. Bands,
 * roles and actions come from contracts/policy/policy.json; cryptography stays the first line
 * (who holds the key), this is the second (what may be done).
 */
export function authorize(input: PolicyInput): Decision {
  const p = policyDocument();
  const scope = scopeOf(input.action);
  if (!scope) throw new Error(`no policy rule for action ${input.action}`);
  const band = input.band ?? 'GREEN';
  const deny: Reason[] = [];
  const notes: Reason[] = [];
  const obligations = new Set(scope === 'memory' || scope === 'space' ? bandObligations(band, input.undoWindowSeconds) : []);
  const done = (effect: Decision['effect'] = 'ALLOW'): Decision => deny.length
    ? { effect: 'DENY', obligations: [...obligations], reasons: deny, policy_version: p.policy_version }
    : { effect, obligations: [...obligations], reasons: notes, policy_version: p.policy_version };

  // ---- who acts: decided before any resource is read ----------------------------------------
  // acting as someone needs their keys here, whatever the action; `local` is unknown while locked
  if (input.session_member !== undefined && input.actor.member_id !== input.session_member) deny.push({ code: 'SESSION_BOUND', message: 'this session is bound to another profile: switch profiles (with its PIN) to act as someone else' });
  else if (input.actor.local === false) deny.push({ code: 'NOT_LOCAL_MEMBER', message: 'act only as a member whose keys this vault holds' });
  // while locked no member acts: only methods that need no keys run there, and their credentials decide
  else if (scope !== 'anyone' && input.actor.local !== undefined) {
    if (scope === 'owner' && !input.actor.owner) deny.push({ code: 'NOT_OWNER', message: `only the vault owner may do this: ${p.actions[input.action].description.replace(/\.$/, '').toLowerCase()}` });
  }
  if (deny.length || input.stage === 'call' || scope === 'anyone' || scope === 'member' || scope === 'owner') return done();

  // ---- the resource -----------------------------------------------------------------------
  const { actor } = input;
  const role = actor.role;
  const caps = capsOf(role);
  const isAuthor = !!input.memory && input.memory.author === actor.member_id;
  const onOrigin = !!input.memory && input.memory.origin_device === input.device_id;
  const isRecipient = !!input.memory && input.memory.recipients.includes(actor.member_id);
  const need = (cap: Capability, why: string) => {
    if (!caps.includes(cap)) deny.push({ code: `MISSING_CAP_${cap}`, message: `${article(role ?? 'non-member')} ${why}` });
  };
  const bandAllowed = (b: Band) => {
    if (role && !p.roles[role].bands.includes(b)) deny.push({ code: 'ROLE_BAND', message: `${article(role)} may only use ${p.roles[role].bands.join(', ')} memories, not ${b}` });
  };
  const readable = () => {
    if (band === 'RED' && !isAuthor && !isRecipient) deny.push({ code: 'RED_NOT_RECIPIENT', message: 'RED memories are readable only by their author and named recipients' });
    if (band === 'BLACK' && !(isAuthor && onOrigin)) deny.push({ code: 'BLACK_LOCAL_ONLY', message: 'BLACK memories are readable only by their author on the device that wrote them' });
  };

  if (scope === 'device') {
    const t = input.target_device;
    if (!t || (!t.own && !t.actor_guards_its_member)) deny.push({ code: 'NOT_OWNER', message: 'only the owner of a device or a guardian of its spaces revokes it' });
    return done();
  }
  if (scope === 'subject') {
    // a person's own data, or, on a family device, the vault owner for a profile it holds
    if (input.subject_id !== actor.member_id && !actor.owner) deny.push({ code: 'NOT_SUBJECT', message: 'only the person themself or the vault owner acts on a person\'s data' });
    if (input.include_black && !input.reauth) deny.push({ code: 'REAUTH_REQUIRED', message: 'exporting BLACK memories needs the passphrase again (reauth)' });
    return done();
  }
  if (scope === 'action') {
    if (input.staged_by !== actor.member_id && role !== 'guardian') deny.push({ code: 'NOT_OWNER', message: 'only who staged it or a guardian of the space can undo it' });
    return done();
  }
  if (!role) {
    deny.push({ code: 'NOT_A_MEMBER', message: 'the acting member is not a member of this space' });
    return done();
  }
  switch (input.action) {
    case 'space.read':
      break;
    case 'space.admin':
      need('ADMIN', 'cannot administer members');
      break;
    case 'memory.create':
    case 'import.run': // an import writes each memory as memory.create would
      need('WRITE', 'cannot write here');
      bandAllowed(band);
      break;
    case 'memory.read':
    case 'memory.preview':
      need('RECALL', 'cannot read here');
      bandAllowed(band);
      if (input.action === 'memory.read' || band === 'BLACK') readable();
      break;
    case 'attachment.read':
      // a memory's files are part of it: whoever may open the memory may open them
      need('RECALL', 'cannot read here');
      bandAllowed(band);
      readable();
      break;
    case 'attachment.add':
    case 'attachment.delete':
      // adding or removing a file is an edit of the memory
      need('WRITE', 'cannot edit here');
      bandAllowed(band);
      readable();
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
      if (p.bands[band].delete === 'shred_confirm' && !input.confirm) deny.push({ code: 'CONFIRM_REQUIRED', message: `deleting ${article(band)} memory shreds it for good: pass confirm=true` });
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
        if (up && !input.share.consent) deny.push({ code: 'CONSENT_REQUIRED', message: `sharing ${article(band)} memory from ${article(input.share.from)} space up to ${article(input.share.to)} space needs consent=true` });
        notes.push({ code: 'STAGED', message: `${article(band)} share waits in the undo window before anyone else can see it` });
      }
      break;
    }
    case 'memory.erase':
      // erasure reaches every copy: who wrote it, or who guards the space, whatever its band
      if (!isAuthor && role !== 'guardian') deny.push({ code: 'NOT_OWNER', message: 'only the author or a guardian erases a memory' });
      // a band whose lowering needs the passphrase again needs it for erasing too
      if (p.bands[band].lower.includes('reauth') && !input.reauth) deny.push({ code: 'REAUTH_REQUIRED', message: `erasing ${article(band)} memory needs the passphrase again (reauth)` });
      break;
    case 'memory.setBand': {
      const to = input.newBand ?? band;
      need('WRITE', 'cannot change bands');
      bandAllowed(band);
      bandAllowed(to);
      readable();
      if (p.bands[to].syncs === 'never' && p.bands[band].syncs !== 'never') deny.push({ code: 'BLACK_AT_CREATION_ONLY', message: `a memory becomes ${to} only when it is written: it may already have left this device` });
      if (bandRank(to) < bandRank(band)) {
        const rule = p.bands[band].lower;
        if (rule === 'author_or_guardian_staged' && !isAuthor && role !== 'guardian') deny.push({ code: 'NOT_AUTHOR', message: `only the author or a guardian lowers ${article(band)} memory` });
        if (rule === 'author_reauth_staged' || rule === 'author_origin_reauth_staged') {
          if (!isAuthor) deny.push({ code: 'NOT_AUTHOR', message: `only the author lowers ${article(band)} memory` });
          if (!input.reauth) deny.push({ code: 'REAUTH_REQUIRED', message: `lowering ${article(band)} memory needs the passphrase again (reauth)` });
        }
        if (rule === 'author_origin_reauth_staged' && !onOrigin) deny.push({ code: 'NOT_ORIGIN_DEVICE', message: `${article(band)} memory is lowered only on the device that wrote it` });
        obligations.add(undoObligation(input.undoWindowSeconds));
        notes.push({ code: 'STAGED', message: 'lowering a band waits in the undo window' });
      }
      break;
    }
    default:
      throw new Error(`action ${input.action} has no ${scope} rule`);
  }
  const redacted = input.action === 'memory.preview' && previewRule(band, isAuthor) !== 'full';
  return done(redacted ? 'ALLOW_REDACTED' : 'ALLOW');
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

/**
 * Not a decision but cryptography: the key that would open something is not held here. The
 * refusal has the same shape as a DENY, so a client handles one kind of FORBIDDEN.
 */
export function keyMissing(code: string, message: string): ApiError {
  return new ApiError('FORBIDDEN', message, { reasons: [{ code, message }], policy_version: policyDocument().policy_version, obligations: [] });
}

/** The other device refused a pairing or a join (its own decision, reported in the same FORBIDDEN shape). */
export function refusedByPeer(code: string, message: string): ApiError {
  return keyMissing(code, `the peer refused: ${message}`);
}
