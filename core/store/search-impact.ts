// Impact tiers for ranked search (issue 11, item 6). Ranking a frequent word with FTS5's bm25()
// costs ~0.7 µs per matching document (at 100k memories "family" matches all of them), while
// walking the same doclist without bm25 costs a tenth of that. So each document also writes, into
// a second small FTS5 index (search_lead, migration 019), one token per term it holds often or in
// a heavy column: the term's impact level and the term ("cfamily": level 3). A ranked query then computes
// bm25 only for the documents of the highest levels of its words, and keeps their order only as
// far as a bound proves no other document can come between (threshold early termination over
// impact-ordered postings; the bm25 scores and tie order are FTS5's own, so the answer is exact
// bm25). Where the bound cannot prove it, search ranks every match as before.
//
// This module is the arithmetic, with no SQL: the terms and levels of a document, and the bound.

/** bm25 as FTS5 computes it (fts5_aux.c): k1, b, and the column weights search ranks with (title, body, tags, people, places). */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
export const COLUMN_WEIGHTS = [5, 1, 3, 3, 2] as const;

/**
 * A term's level in a document: the highest l with F ≥ LEVELS[l - 1], where F is its weighted
 * frequency (Σ over columns of weight × occurrences, an integer: once in the title is 5). Below
 * LEVELS[0] a term writes no token: most of a document's terms, once or twice in the body.
 * About 1.2 apart (format 4; format 3 had nine levels 1.5 apart): a ranked query's first
 * candidates are whole levels of its words, and with coarse levels the smallest that held enough
 * was often five times what was asked for, each candidate costing its bm25.
 */
export const LEVELS = [4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 19, 22, 26, 31, 37, 44, 52, 62, 74, 88, 105, 126] as const;

/** One letter per level, a for level 1: the first character of every token in the impact index, so no term reads as another level's. */
const MARKS = 'abcdefghijklmnopqrstuv';
if (MARKS.length !== LEVELS.length) throw new Error('every impact level needs its mark');

/** The impact index's token of `term` at `level` ("cfamily": family at level 3). */
export const levelToken = (level: number, term: string): string => MARKS[level - 1]! + term;

/** The level and term of an impact index token (level 0: not one). */
export const tokenLevel = (token: string): { level: number; term: string } => ({ level: MARKS.indexOf(token[0] ?? '') + 1, term: token.slice(1) });

// unicode61's token characters (letters, digits, private use; marks stay inside a word and
// fold away), and its folding (case, diacritics): the terms FTS5 makes of the same text, for the
// text people write. Where the two differ (rare scripts, compatibility characters) a term's F can
// be counted under another spelling, which can only make a ranked answer fall back or, at worst,
// miss the order of a near tie — never show what the reader may not see (that is SQL's, below).
const TOKEN = /[\p{L}\p{N}\p{Co}\p{M}]+/gu;
const fold = (s: string): string => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

// ASCII text (most of what people write in many languages' notes) has only [a-z0-9] tokens and
// folds by lower-casing: one regex over the whole text instead of a normalisation per word (which
// was a quarter of a millisecond per ~1 KB memory, more than the FTS5 insert it sits beside).
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_TOKEN = /[a-z0-9]+/g;

/** The folded terms of a text, in order, as the index tokenizes it. */
export function termsOf(text: string): string[] {
  if (ASCII.test(text)) return text.toLowerCase().match(ASCII_TOKEN) ?? [];
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const t = ASCII.test(m[0]) ? m[0].toLowerCase() : fold(m[0]);
    if (t) out.push(t);
  }
  return out;
}

const levelOf = (f: number): number => {
  let l = 0;
  while (l < LEVELS.length && f >= LEVELS[l]!) l++;
  return l;
};

/** A document's text as the index's five columns hold it (the lists as words), in COLUMN_WEIGHTS order. */
export interface IndexedText { title: string; body: string; tags: string[]; people: string[]; places: string[] }
export const columnsOf = (m: IndexedText): [string, string, string, string, string] => [m.title, m.body, m.tags.join(' '), m.people.join(' '), m.places.join(' ')];

/** What a document writes into the impact index, computed where its text is (an import's second thread may, see fresh-updates.ts). */
export interface Impact { lead: string; length: number }

/**
 * What a document writes into the impact index: its level tokens (space-separated) and its length
 * in tokens (all columns, what bm25 calls D). `columns` in COLUMN_WEIGHTS order.
 */
export function impactOf(columns: string[]): Impact {
  const f = new Map<string, number>();
  let length = 0;
  columns.forEach((text, c) => {
    const w = COLUMN_WEIGHTS[c] ?? 1;
    for (const t of termsOf(text)) { f.set(t, (f.get(t) ?? 0) + w); length++; }
  });
  const lead: string[] = [];
  for (const [t, n] of f) { const l = levelOf(n); if (l) lead.push(levelToken(l, t)); }
  return { lead: lead.join(' '), length };
}

/** The query words the impact index can answer for: whole tokens for unicode61 (no '_', which it splits on). */
export const leadable = (words: string[]): boolean => words.length > 0 && words.length <= 8 && words.every((w) => /^[\p{L}\p{N}]+$/u.test(w));

/** What the bound needs of the index: FTS5's row count and average length, the shortest document, and per word what its prefix spans. */
export interface BoundStats {
  rows: number; avgdl: number; minLength: number;
  words: WordSpan[];
}

/**
 * A query word (a prefix) in the index: `main` terms under it are bounded by their level; `rare`
 * ones (in a handful of documents each, like a word that only begins with a name) make all their
 * documents candidates instead, so a document outside holds none of them. `maxDocs`: how many
 * documents the word is in, or a floor of it (the most documents one term under it is in): idf
 * falls as it grows, so the bound's idf is never below the score's.
 * `ignored`: a word whose idf is so far below another word's that its whole part of any score is
 * under the rounding of the others: it adds no candidates, and its largest possible part to the bound.
 */
export interface WordSpan {
  word: string; rare: string[]; maxDocs: number; ignored: boolean;
  /** per main term, the most F it has in any document: below the level above its highest level token (LEVELS[0] − 1 with none) */
  caps: number[];
  /** documents holding a level-l token of a main term under the word, at index l */
  levelDocs: number[];
  /** the level tokens of the main terms (term without the digit, level): the candidates are found by these whole tokens, not a prefix */
  tokens: { term: string; level: number }[];
}

/** a term in at most this many documents is `rare` (its documents are candidates), while the rare ones of a word stay under RARE_TOTAL */
export const RARE_DOCS = 64;
export const RARE_TOTAL = 1024;

/**
 * Splits a word's terms (term, documents) into main and rare, with each main term's cap and the
 * documents per level from its level tokens (`levels`: token without the digit, level, documents),
 * and marks the words that cannot move a ranking.
 */
export function wordSpans(rows: number, words: { word: string; terms: { term: string; doc: number }[]; levels: { term: string; level: number; doc: number }[]; hits?: number }[]): WordSpan[] {
  const spans = words.map(({ word, terms, levels, hits }) => {
    const rare: string[] = [];
    const main: string[] = [];
    let rareDocs = 0;
    for (const t of [...terms].sort((a, b) => a.doc - b.doc)) {
      if (t.doc <= RARE_DOCS && rareDocs + t.doc <= RARE_TOTAL) { rare.push(t.term); rareDocs += t.doc; } else main.push(t.term);
    }
    const top = new Map<string, number>();
    const levelDocs = new Array<number>(LEVELS.length + 1).fill(0);
    const isMain = new Set(main);
    const tokens: WordSpan['tokens'] = [];
    for (const l of levels) {
      if (!isMain.has(l.term)) continue;
      top.set(l.term, Math.max(top.get(l.term) ?? 0, l.level));
      levelDocs[l.level] += l.doc;
      tokens.push({ term: l.term, level: l.level });
    }
    const caps = main.map((t) => { const l = top.get(t) ?? 0; return l >= LEVELS.length ? Infinity : LEVELS[l]! - 1; });
    return { word, rare, caps, levelDocs, tokens, maxDocs: hits ?? Math.max(...terms.map((t) => t.doc)), ignored: false };
  });
  const top = Math.max(...spans.map((w) => idf(rows, w.maxDocs)));
  for (const w of spans) w.ignored = idf(rows, w.maxDocs) * (BM25_K1 + 1) < top * 1e-4;
  return spans;
}

const quoted = (t: string): string => `"${t.replace(/"/g, '""')}"`;

/**
 * The candidates at level l (a search_lead expression): documents where a counted word has a main
 * term at level l or higher. Named as whole tokens (the ones the index holds, `tokens`): a prefix
 * ("efam"*) would make FTS5 merge every matching token's doclist before the first row.
 */
export function leadExpression(words: WordSpan[], level: number): string | null {
  const alts = new Set<string>();
  for (const w of words) if (!w.ignored) for (const t of w.tokens) if (t.level >= level) alts.add(quoted(levelToken(t.level, t.term)));
  return alts.size ? [...alts].join(' OR ') : null;
}

/** The documents of the rare terms (a search_fts expression, whole terms), candidates at every level. */
export function rareExpression(words: WordSpan[]): string | null {
  const terms = words.flatMap((w) => (w.ignored ? [] : w.rare));
  return terms.length ? terms.map(quoted).join(' OR ') : null;
}

/** FTS5's idf (fts5_aux.c): log((N − n + 0.5) / (n + 0.5)), and 1e-6 where that is not positive. */
export function idf(rows: number, hits: number): number {
  const v = Math.log((rows - hits + 0.5) / (hits + 0.5));
  return v <= 0 ? 1e-6 : v;
}

/**
 * bm25's part of a word of idf `i` with frequency at most `f` (norm: k1 × the length factor), the
 * most it can be: at the top level F has no cap (Infinity), where the part tends to i × (k1 + 1)
 * (Infinity / Infinity would make the bound NaN, and a NaN cell is in no region and bounds nothing).
 */
const termPart = (i: number, f: number, norm: number): number => i * (f === Infinity ? BM25_K1 + 1 : (f * (BM25_K1 + 1)) / (f + norm));

/**
 * An upper bound on the bm25 score (−bm25(), as search ranks) of any document that is NOT a
 * candidate at `level`: it holds no rare term of a counted word, and each main term under such a
 * word has F ≤ LEVELS[level−1] − 1 and no more than its cap, so the word's frequency is at most
 * the sum of those; bm25's term part grows with F and falls
 * with the document's length, which is at least the shortest one's; idf falls with the number of
 * documents a word is in, which is at least its most frequent term's.
 */
export function outsideBound(s: BoundStats, level: number): number {
  const below = LEVELS[level - 1]! - 1;
  const norm = BM25_K1 * (1 - BM25_B + (BM25_B * s.minLength) / s.avgdl);
  let bound = 0;
  for (const w of s.words) {
    const f = w.caps.reduce((a, cap) => a + Math.min(below, cap), 0);
    // an ignored word's part is at most idf × (k1 + 1), what the term part tends to as F grows
    bound += termPart(idf(s.rows, w.maxDocs), w.ignored ? Infinity : f, norm);
  }
  return bound;
}

/** The most F a word has in a document whose highest level token of a main term under it is `l` (0: none): each main term below the next level and within its cap. */
export function capAt(w: WordSpan, l: number): number {
  const below = l >= LEVELS.length ? Infinity : LEVELS[l]! - 1;
  return w.caps.reduce((a, cap) => a + Math.min(below, cap), 0);
}

/**
 * A set of level cells (one level per counted word: the highest level token a document holds
 * of that word, 0 for none) closed upwards, as the search_lead expression of its documents
 * (`all`: every document, nothing to restrict) and the bound on any document outside it.
 */
export interface Region { lead: string | null; all: boolean; outside: number; cells: number }

/** The counted words a region is built over: one or two (more are left to `leadExpression`'s levels). */
export const countedOf = (s: BoundStats): WordSpan[] => s.words.filter((w) => !w.ignored);

interface Cell { levels: number[]; bound: number; est: number }

/**
 * Every cell of the counted words (at most two), with the bound on the score of a document in it
 * (as `outsideBound`, but per word at the cell's own level: a document high in one word and low
 * in the other is bounded by both) and an estimate of its documents (the words' level shares,
 * as if independent), highest bound first.
 */
function cellsOf(s: BoundStats): Cell[] {
  const counted = countedOf(s);
  const norm = BM25_K1 * (1 - BM25_B + (BM25_B * s.minLength) / s.avgdl);
  const fixed = s.words.filter((w) => w.ignored).reduce((a, w) => a + termPart(idf(s.rows, w.maxDocs), Infinity, norm), 0);
  const per = counted.map((w) => {
    const i = idf(s.rows, w.maxDocs);
    const share = w.levelDocs.map((d) => Math.min(1, d / s.rows));
    share[0] = Math.max(0, 1 - share.slice(1).reduce((a, x) => a + x, 0));
    return Array.from({ length: LEVELS.length + 1 }, (_, l) => ({ part: termPart(i, capAt(w, l), norm), share: share[l] ?? 0 }));
  });
  let cells: Cell[] = [{ levels: [], bound: fixed, est: s.rows }];
  for (const p of per) cells = cells.flatMap((c) => p.map((x, l) => ({ levels: [...c.levels, l], bound: c.bound + x.part, est: c.est * x.share })));
  return cells.sort((a, b) => b.bound - a.bound);
}

/** The documents of a word at level `l` or above, as a search_lead expression ('' for every document, null for none). */
function atLeast(w: WordSpan, l: number): string | null {
  if (l === 0) return '';
  const alts = [...new Set(w.tokens.filter((t) => t.level >= l).map((t) => quoted(levelToken(t.level, t.term))))];
  return alts.length ? alts.join(' OR ') : null;
}

/** The region of the cells whose bound is at least `floor` (cells in `cellsOf`'s order): its expression and the bound outside it. */
function regionOf(s: BoundStats, cells: Cell[], floor: number): Region {
  const inside = cells.filter((c) => c.bound >= floor);
  const outside = cells.find((c) => c.bound < floor)?.bound ?? 0;
  const all = inside.length === cells.length;
  const counted = countedOf(s);
  if (all || !counted.length) return { lead: null, all, outside, cells: inside.length };
  const [a, b] = counted as [WordSpan, WordSpan | undefined];
  let lead: string[] = [];
  if (!b) {
    const e = atLeast(a, Math.min(...inside.map((c) => c.levels[0]!)));
    if (e) lead = [e];
  } else {
    // closed upwards (the bound grows with each level), so the region is the union over levels i
    // of a of "a ≥ i and b ≥ its lowest level beside i": one term per step of that staircase
    const lowest = (i: number) => Math.min(...inside.filter((c) => c.levels[0] === i).map((c) => c.levels[1]!));
    let prev = Infinity;
    for (let i = 0; i <= LEVELS.length; i++) {
      const m = lowest(i);
      if (m >= prev || m === Infinity) continue;
      prev = m;
      const ea = atLeast(a, i);
      const eb = atLeast(b, m);
      if (ea === null || eb === null) continue;
      if (ea === '' && eb === '') return { lead: null, all: true, outside, cells: inside.length };
      lead.push(ea === '' ? `(${eb})` : eb === '' ? `(${ea})` : `(${ea}) AND (${eb})`);
    }
    lead = lead.map((x) => (lead.length > 1 ? `(${x})` : x));
  }
  return { lead: lead.length ? lead.join(' OR ') : null, all: false, outside, cells: inside.length };
}

/** The smallest region (highest cells first) whose estimated documents reach `docs`. */
export function regionFor(s: BoundStats, docs: number): Region {
  const cells = cellsOf(s);
  let acc = 0;
  let floor = -Infinity;
  for (const c of cells) { acc += c.est; if (acc >= docs) { floor = c.bound; break; } }
  return regionOf(s, cells, floor);
}

/** The region of every cell whose bound reaches `score`: any document scoring that much is inside it, and none outside can. */
export function regionAbove(s: BoundStats, score: number): Region {
  return regionOf(s, cellsOf(s), score);
}
