import type { MemoryType } from '../../../contracts/types';

export const MEMORY_TYPES: { type: MemoryType; label: string; hint: string }[] = [
  { type: 'episodic', label: 'Moment', hint: 'something that happened' },
  { type: 'semantic', label: 'Fact', hint: 'something true: an allergy, a login, the wifi' },
  { type: 'procedural', label: 'How-to', hint: 'steps: a recipe, a routine' },
  { type: 'working', label: 'Working note', hint: 'short-lived; can expire' },
];

export function typeLabel(t: MemoryType): string {
  return MEMORY_TYPES.find((m) => m.type === t)?.label ?? t;
}
