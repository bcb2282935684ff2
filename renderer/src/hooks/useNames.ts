import { useMemo } from 'react';
import type { Names } from '../lib/undo-words';
import { useMemories } from '../stores/memories';
import { useSession } from '../stores/session';
import { spaceById, useSpaces } from '../stores/spaces';

/**
 * Names for ids, from what the stores know: memories by title (never a hidden one's), spaces by
 * name, people by name. What is not known stays undefined and the sentence says "a memory".
 */
export function useNames(): Names {
  const known = useMemories((s) => s.known);
  const spaces = useSpaces((s) => s.spaces);
  const members = useSpaces((s) => s.members);
  const me = useSession((s) => s.status?.member_id);
  const myName = useSession((s) => s.status?.member_name);
  return useMemo<Names>(() => ({
    title: (id) => { const k = known[id]; return k && !k.redacted && k.title ? k.title : undefined; },
    band: (id) => known[id]?.band,
    space: (id) => spaceById(spaces, id)?.name,
    person: (id) => (id === me && myName ? myName : members.find((m) => m.member_id === id)?.name
      ?? spaces.flatMap((s) => s.members).find((m) => m.member_id === id)?.name),
  }), [known, spaces, members, me, myName]);
}
