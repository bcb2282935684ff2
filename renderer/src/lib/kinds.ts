import type { Role, SpaceKind } from '../../../contracts/types';

/** Space kinds from the most private to the widest (the policy's space_hierarchy). */
export const KINDS: { kind: SpaceKind; label: string; hint: string }[] = [
  { kind: 'personal', label: 'Personal', hint: 'Just you.' },
  { kind: 'selective', label: 'Selective', hint: 'You and a few people you pick.' },
  { kind: 'shared', label: 'Shared', hint: 'Your household or family.' },
  { kind: 'extended', label: 'Extended', hint: 'Wider family and close friends.' },
  { kind: 'interfamily', label: 'Interfamily', hint: 'Several families together.' },
];

export const ROLES: { role: Role; hint: string }[] = [
  { role: 'guardian', hint: 'administers members; every band' },
  { role: 'adult', hint: 'reads, writes and shares every band' },
  { role: 'teen', hint: 'reads and writes; limited bands' },
  { role: 'child', hint: 'Green and Amber only; cannot share out' },
  { role: 'guest', hint: 'reads Green only' },
];

export function kindLabel(kind: SpaceKind): string {
  return KINDS.find((k) => k.kind === kind)?.label ?? kind;
}
