/** Version vectors: author device → highest seq held. Missing devices count as 0. */
export function equalVectors(a: Record<string, number>, b: Record<string, number>): boolean {
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if ((a[k] ?? 0) !== (b[k] ?? 0)) return false;
  return true;
}

/** How many entries `theirs` holds that `mine` does not, and the reverse. */
export function vectorGap(mine: Record<string, number>, theirs: Record<string, number>): { behind: number; ahead: number } {
  let behind = 0, ahead = 0;
  for (const d of new Set([...Object.keys(mine), ...Object.keys(theirs)])) {
    const a = mine[d] ?? 0, b = theirs[d] ?? 0;
    if (b > a) behind += b - a; else ahead += a - b;
  }
  return { behind, ahead };
}
