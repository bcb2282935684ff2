// Typo tolerance from the index's own vocabulary (FTS5's fts5vocab): a query word of five letters
// or more also matches the indexed terms one edit away. The vocabulary is small next to the text
// (one row per distinct word), read once and kept in step with writes; a trigram index would double
// the index for the same answer at family scale.

/** Words shorter than this never fuzz: one edit in a four-letter word is a different word. */
export const FUZZY_MIN_LENGTH = 5;
/** at most this many alternatives per word, the most common first */
export const FUZZY_MAX_ALTERNATIVES = 16;

/** Optimal string alignment distance ≤ 1: one insertion, deletion, substitution or adjacent transposition. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // transposition
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * Index terms one edit from `word`, or whose beginning is one edit from it (the query matches
 * words as prefixes, so a typo in a word still being typed counts too). Terms the word already
 * matches exactly (as a prefix) are not alternatives. `lists` hold the candidates (a term in
 * two lists counts once), `docCount` how many documents hold one (0: none, not an alternative):
 * the most common come first.
 */
export function fuzzyAlternatives(word: string, lists: Iterable<readonly string[]>, docCount: (term: string) => number, max = FUZZY_MAX_ALTERNATIVES): string[] {
  if ([...word].length < FUZZY_MIN_LENGTH) return [];
  const n = word.length;
  const found = new Map<string, number>();
  for (const list of lists) for (const t of list) {
    if (t.length < n - 1 || t.startsWith(word)) continue;
    // one edit keeps the first letter, or moves the second into first place, or the first into second
    if (t[0] !== word[0] && t[0] !== word[1] && t[1] !== word[0] && t[1] !== word[1]) continue;
    let near = withinOneEdit(word, t);
    for (let k = n - 1; !near && k <= n + 1; k++) if (k < t.length) near = withinOneEdit(word, t.slice(0, k));
    if (!near || found.has(t)) continue;
    const doc = docCount(t);
    if (doc > 0) found.set(t, doc);
  }
  return [...found].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, max).map(([t]) => t);
}
