import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Band, Capability, Role, SpaceKind } from '../../contracts/types';
import { contractsDir } from '../shared/paths';
import { validatorFor } from '../schemas/validator';

export interface BandRule {
  rank: number;
  obligations: string[];
  readable_by: 'members' | 'author_and_recipients' | 'author_on_origin_device';
  syncs: string;
  share: 'immediate' | 'staged' | 'denied';
  lower: 'none' | 'author_or_guardian_staged' | 'author_reauth_staged' | 'author_origin_reauth_staged';
  delete: 'trash' | 'staged_trash' | 'shred_confirm';
  read_for_others: 'full' | 'redact_pii' | 'hidden_until_opened' | 'not_shown';
}

/**
 * What decides an action: `anyone` (credentials or nothing), `member` (any member whose keys
 * this vault holds), `owner` (the vault owner), or a resource the caller names: a space's roles,
 * a memory's band, a device's owner, a staged action.
 */
export type ActionScope = 'anyone' | 'member' | 'owner' | 'space' | 'memory' | 'device' | 'action' | 'subject';

export interface PolicyDocument {
  policy_version: string;
  undo_window_default_seconds: number;
  space_hierarchy: SpaceKind[];
  bands: Record<Band, BandRule>;
  roles: Record<Role, { caps: Capability[]; bands: Band[]; description: string }>;
  actions: Record<string, { scope: ActionScope; description: string }>;
}

let doc: PolicyDocument | undefined;

/** contracts/policy/policy.json, validated against its schema once. */
export function policyDocument(): PolicyDocument {
  if (doc) return doc;
  const raw = JSON.parse(readFileSync(join(contractsDir(), 'policy', 'policy.json'), 'utf8'));
  const v = validatorFor('policy/policy.schema.json');
  if (!v(raw)) throw new Error('policy.json does not match its schema: ' + JSON.stringify(v.errors));
  return (doc = raw as PolicyDocument);
}

/** Whether a value is one of the roles the document defines (another device's space document may say anything). */
export const isRole = (value: unknown): value is Role => typeof value === 'string' && Object.hasOwn(policyDocument().roles, value);

/** A band's place in the order GREEN < AMBER < RED < BLACK, as the document ranks it. */
export const bandRank = (band: Band): number => policyDocument().bands[band].rank;
