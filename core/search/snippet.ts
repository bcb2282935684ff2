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

/** A query word as matched: the folded word as a prefix, or one of its typo-tolerant alternatives as a whole word. */
export interface Term { word: string; alts: string[] }

export interface Range { start: number; end: number }

const wordMatches = (folded: string, terms: Term[]): boolean => terms.some((t) => folded.startsWith(t.word) || t.alts.includes(folded));

/** Ranges (UTF-16 offsets, end exclusive) of the words of `text` a query term matches. */
export function highlightRanges(text: string, terms: Term[]): Range[] {
  if (!terms.length) return [];
  const out: Range[] = [];
  for (const m of text.matchAll(WORD)) if (wordMatches(fold(m[0]), terms)) out.push({ start: m.index!, end: m.index! + m[0].length });
  return out;
}

/**
 * Plain text of about `size` words around the first match in the first field that has one, …
 * where cut, with the ranges of its matches. No field matches: the start of the first field.
 * `display` (same lengths as `fields`, e.g. with redaction placeholders unmasked) is what the
 * text is cut from; `fields` is what is matched.
 */
export function snippetWithRanges(fields: string[], terms: Term[], size = 12, display: string[] = fields): { text: string; ranges: Range[] } {
  const window = (i: number, first: number, mark: boolean): { text: string; ranges: Range[] } => {
    const text = fields[i] ?? '';
    const shown = display[i] ?? text;
    const words = [...text.matchAll(WORD)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, hit: mark && wordMatches(fold(m[0]), terms) }));
    if (!words.length) return { text: '', ranges: [] };
    const from = Math.max(0, Math.min(first - 2, words.length - size));
    const to = Math.min(words.length, from + size);
    const begin = from > 0 ? words[from].start : 0;
    const end = to < words.length ? words[to - 1].end : text.length;
    const prefix = from > 0 ? '…' : '';
    // one character for one, so the ranges stay true: line breaks become spaces
    const out = prefix + shown.slice(begin, end).replace(/\s/g, ' ') + (to < words.length ? '…' : '');
    const ranges = words.slice(from, to).filter((w) => w.hit).map((w) => ({ start: w.start - begin + prefix.length, end: w.end - begin + prefix.length }));
    return { text: out, ranges };
  };
  if (terms.length) {
    for (let i = 0; i < fields.length; i++) {
      const first = [...fields[i].matchAll(WORD)].findIndex((m) => wordMatches(fold(m[0]), terms));
      if (first >= 0) return window(i, first, true);
    }
  }
  return window(0, 0, false);
}

/** Whether every term matches some word of the fields (what FTS5 matched, checked on the text as shown). */
export function matchesEvery(fields: string[], terms: Term[]): boolean {
  const words = new Set<string>();
  for (const f of fields) for (const m of f.matchAll(WORD)) words.add(fold(m[0]));
  return terms.every((t) => [...words].some((w) => w.startsWith(t.word) || t.alts.includes(w)));
}

export { fold };
