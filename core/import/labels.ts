/**
 * A clean label list from whatever a source gives: strings, numbers, arrays of them, or one
 * string of labels separated by commas (`"a, b"`; a comma inside a list's item stays); trimmed, a leading `#` dropped (Obsidian
 * `#tag`), empty ones out, duplicates out (first one kept), order kept.
 */
export function labels(...sources: unknown[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (v: unknown, top: boolean): void => {
    if (Array.isArray(v)) { v.forEach((x) => add(x, false)); return; }
    if (typeof v === 'number' || typeof v === 'boolean') v = String(v);
    if (typeof v !== 'string') return;
    for (const part of top && v.includes(',') ? v.split(',') : [v]) {
      const s = part.trim().replace(/^#+/, '').trim();
      if (s && !seen.has(s)) { seen.add(s); out.push(s); }
    }
  };
  for (const s of sources) add(s, true);
  return out;
}

/** a string value, trimmed, from a string or a number; undefined otherwise */
export const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v.trim() || undefined : typeof v === 'number' ? String(v) : undefined;
