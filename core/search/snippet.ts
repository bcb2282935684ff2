// Snippets made for the returned page only, in JS, from the stored text: an FTS5 snippet() needs
// the MATCH cursor, which means computing one for every match before LIMIT.

const WORD = /[\p{L}\p{N}_]+/gu;
const fold = (s: string): string => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** The query's words as the index folds them (case and diacritics), each matched as a prefix. */
export function queryTerms(query: string): string[] {
  return (query.normalize('NFKC').match(WORD) ?? []).slice(0, 16).map(fold);
}

/**
 * A window of about `size` words around the first match in the first field that has one, with
 * matches in [brackets] and … where text was cut — the shape FTS5's snippet() gives.
 */
export function makeSnippet(fields: string[], terms: string[], size = 12): string {
  for (const text of fields) {
    const words = [...text.matchAll(WORD)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, hit: terms.some((t) => fold(m[0]).startsWith(t)) }));
    const first = words.findIndex((w) => w.hit);
    if (first < 0) continue;
    const from = Math.max(0, Math.min(first - 2, words.length - size));
    const to = Math.min(words.length, from + size);
    let out = from > 0 ? '…' : '';
    let cursor = from > 0 ? words[from].start : 0;
    for (let i = from; i < to; i++) {
      const w = words[i];
      out += text.slice(cursor, w.start) + (w.hit ? `[${text.slice(w.start, w.end)}]` : text.slice(w.start, w.end));
      cursor = w.end;
    }
    out += to < words.length ? '…' : text.slice(cursor);
    return out;
  }
  return '';
}

/** Whether every query term matches (as a word prefix) somewhere in the fields: what FTS5 matched, checked on the text as shown. */
export function matchesAll(fields: string[], terms: string[]): boolean {
  const words = new Set<string>();
  for (const f of fields) for (const m of f.matchAll(WORD)) words.add(fold(m[0]));
  return terms.every((t) => [...words].some((w) => w.startsWith(t)));
}
