import type { Capability, Role, SpaceKind } from '../../../contracts/types';

/** Space kinds from the most private to the widest (the policy's space_hierarchy). */
export const KINDS: { kind: SpaceKind; label: string; hint: string }[] = [
  { kind: 'personal', label: 'Personal', hint: 'Just you.' },
  { kind: 'selective', label: 'Selective', hint: 'You and a few people you pick.' },
  { kind: 'shared', label: 'Shared', hint: 'Your household or family.' },
  { kind: 'extended', label: 'Extended', hint: 'Wider family and close friends.' },
  { kind: 'interfamily', label: 'Interfamily', hint: 'Several families together.' },
];

/** Roles from the most to the least trusted (the policy's roles); the least is the default for someone new. */
export const ROLES: { role: Role; hint: string }[] = [
  { role: 'guardian', hint: 'manages who is in the space; every band' },
  { role: 'adult', hint: 'reads, writes and shares every band' },
  { role: 'teen', hint: 'reads, writes and shares; no managing' },
  { role: 'child', hint: 'Green and Amber only; cannot share out' },
  { role: 'guest', hint: 'reads Green only' },
];

/** The least-privileged role: what a new member or invite starts with. */
export const LEAST_ROLE: Role = 'guest';

const CAN: Record<Capability, string> = { RECALL: 'reads', WRITE: 'writes', PROJECT: 'shares out', ADMIN: 'manages who is in the space' };
const BANDS_OF: Partial<Record<Role, string>> = { child: 'Green and Amber only', guest: 'Green only' };

/** What a member can do, in plain verbs: "reads, writes and shares out; manages who is in the space". */
export function canInWords(role: Role, caps: Capability[]): string {
  const verbs = (['RECALL', 'WRITE', 'PROJECT'] as const).filter((c) => caps.includes(c)).map((c) => CAN[c]);
  const list = verbs.length > 1 ? `${verbs.slice(0, -1).join(', ')} and ${verbs[verbs.length - 1]}` : verbs[0] ?? 'nothing yet';
  const bands = BANDS_OF[role] ? ` (${BANDS_OF[role]})` : '';
  return `${list}${bands}${caps.includes('ADMIN') ? `; ${CAN.ADMIN}` : ''}`;
}

export function kindLabel(kind: SpaceKind): string {
  return KINDS.find((k) => k.kind === kind)?.label ?? kind;
}
