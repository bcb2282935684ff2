import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractsDir } from '../shared/paths';
import { validatorFor } from '../schemas/validator';
import type { Band, Capability, Role, SpaceKind } from '../../contracts/types';

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
export interface PolicyDocument {
  policy_version: string;
  undo_window_default_seconds: number;
  space_hierarchy: SpaceKind[];
  bands: Record<Band, BandRule>;
  roles: Record<Role, { caps: Capability[]; bands: Band[]; description: string }>;
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
