import type { Band, MemorySearchRequest, MemorySearchResponse, MemorySearchResponseHit } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { policyDocument } from '../policy/policy-document';
import { previewRule, previewText, type PreviewRule } from '../policy/redaction';
import { iso } from '../shared/time';
import type { Candidate, CandidateQuery, IndexedMemory, SearchIndex, StoredText } from '../store/search-index';
import { leadable } from '../store/search-impact';
import { liveContents } from '../memories/read-model';
import { membershipsOf } from '../spaces/spaces';
import { facetOf, type Facet } from './facets';
import { FUZZY_MIN_LENGTH, fuzzyAlternatives } from './fuzzy';
import { toIndexed } from './indexer';
import { fold, highlightRanges, matchesEvery, queryTerms, snippetWithRanges, type Term } from './snippet';

/** Counting stops here: past it the answer is "200+", never a cap shown as a count. */
export const COUNT_CAP = 200;

/**
 * Opens the persisted index at unlock. It is already whole (every write joins the read model's
 * transaction); only a database whose index was written in another format — a data directory of
 * an earlier release — is brought up to this one, once (SearchIndex.upgrade). Returns how many
 * memories that indexed again (0 when there was nothing to do).
 */
export function openSearchIndex(ctx: Ctx): number {
  const idx = ctx.search;
  let n = 0;
  if (!idx.current()) {
    function* items(): Generator<IndexedMemory> {
      for (const { rec, content } of liveContents(ctx)) yield toIndexed(rec, content);
    }
    // IMMEDIATE: two processes unlocking an old data directory at once fill it once
    n = ctx.uow.run(() => (idx.current() ? 0 : idx.upgrade(items, ctx.clock.now())));
  }
  return n;
}

type Sort = NonNullable<MemorySearchRequest['sort']>;

/** An FTS5 expression: every word as a prefix, or (with typo tolerance) one of its alternatives as a whole term. */
export function ftsExpression(terms: Term[]): string | null {
  if (!terms.length) return null;
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return terms.map((t) => (t.alts.length ? `(${q(t.word)}* OR ${t.alts.map(q).join(' OR ')})` : `${q(t.word)}*`)).join(' AND ');
}

/** FTS5 column filters for the label filters: each label's words as a phrase in its column. */
export function labelFilterFts(q: Pick<MemorySearchRequest, 'tags' | 'people' | 'places'>): string | null {
  const out: string[] = [];
  for (const col of ['tags', 'people', 'places'] as const) {
    for (const label of q[col] ?? []) {
      const words = queryTerms(label);
      if (words.length) out.push(`{${col}} : "${words.join(' ')}"`);
    }
  }
  return out.length ? out.join(' AND ') : null;
}

/** The filters as they are compared: labels folded like the index folds words. */
interface Filters { tags: string[]; people: string[]; places: string[]; from?: string; to?: string }

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** What the reader is shown of a memory's labels and dates: the band's preview rule, applied before any comparison. */
function shown(f: Facet, rule: PreviewRule): { tags: string[]; people: string[]; places: string[]; occurred_at: string | null } {
  if (rule === 'hidden') return { tags: [], people: [], places: [], occurred_at: null };
  if (rule === 'full') {
    f.folded ??= { tags: f.tags.map(fold), people: f.people.map(fold), places: f.places.map(fold) };
    return { ...f.folded, occurred_at: f.occurred_at };
  }
  const r = (xs: string[]) => xs.map((x) => fold(previewText(rule, x)));
  return { tags: r(f.tags), people: r(f.people), places: r(f.places), occurred_at: f.occurred_at };
}

/** The calendar day it happened as written (no time-zone shift), else the UTC day it was written: what memory.list's dates use too. */
const happenedDay = (f: Facet, occurred: string | null): string => (occurred && /^\d{4}-\d{2}-\d{2}/.test(occurred) ? occurred.slice(0, 10) : dayOf(f.created_at));

const hasFilters = (q: Filters): boolean => !!(q.tags.length || q.people.length || q.places.length || q.from || q.to);

function passes(f: Facet, rule: PreviewRule, q: Filters): boolean {
  if (!hasFilters(q)) return true;
  if (q.tags.length || q.people.length || q.places.length) {
    // the labels are read (and parsed from the index's row) only when a label filter needs them
    const s = shown(f, rule);
    if (!q.tags.every((t) => s.tags.includes(t))) return false;
    if (!q.people.every((t) => s.people.includes(t))) return false;
    if (!q.places.every((t) => s.places.includes(t))) return false;
  }
  if (q.from || q.to) {
    const day = happenedDay(f, rule === 'hidden' ? null : f.occurred_at);
    if (q.from && day < q.from) return false;
    if (q.to && day > q.to) return false;
  }
  return true;
}

// the placeholders redaction leaves are not the reader's words: they neither match nor highlight
const maskPlaceholders = (s: string): string => s.replace(/\[(email|phone)\]/g, (m) => ' '.repeat(m.length));

/**
 * Candidates in windows that grow: most answers need the first one only (the count stops at the
 * cap). With a label or date filter most candidates may fail it: one window of all of them, so
 * the ranking is not computed again for each window.
 */
function* windows(idx: SearchIndex, q: Omit<CandidateQuery, 'limit' | 'offset'>, all = false): Generator<Candidate> {
  if (all) { yield* idx.candidates({ ...q, limit: -1, offset: 0 }); return; }
  for (let offset = 0, size = 256; ; offset += size, size = Math.min(size * 4, 16384)) {
    const page = idx.candidates({ ...q, limit: size, offset });
    yield* page;
    if (page.length < size) return;
  }
}

/**
 * Search and filters in one: the query (bm25, typo-tolerant) AND every filter, on what the actor
 * may see — a label, a date or a word a redacted preview hides never makes a memory match, count
 * or highlight. Sorted as asked; counted truly up to COUNT_CAP.
 */
export function searchMemories(ctx: Ctx, actor: string, q: MemorySearchRequest): MemorySearchResponse {
  keys(ctx);
  const idx = ctx.search;
  const p = policyDocument();
  const scopes = membershipsOf(ctx, actor)
    .filter((s) => p.roles[s.role].caps.includes('RECALL'))
    .map((s) => ({ space_id: s.space_id, bands: p.roles[s.role].bands as string[] }));
  const limit = Math.min(q.limit ?? 20, COUNT_CAP);
  const words = queryTerms(q.query ?? '');
  const sort: Sort = q.sort ?? (words.length ? 'relevance' : 'updated');
  const exact: Term[] = words.map((w) => ({ word: w, alts: [] }));
  // A word's typo alternatives come from the index's vocabulary, which is read whole once per
  // connection (fts5vocab walks every doclist: ~0.2 s at 100k memories, ~4 s at 1M), then each
  // word scans the terms sharing one of its first two letters (kept until the index changes).
  // They are looked for only when the answer needs them: a page of exact matches (a common word)
  // neither ranks nor highlights them, so the first search after unlock need not read it.
  let fuzzyTerms: Term[] | undefined;
  const withAlternatives = (): Term[] => (fuzzyTerms ??= words.map((w) => ({
    word: w,
    alts: [...w].length < FUZZY_MIN_LENGTH ? [] : idx.remembered(`alternatives ${w}`, () => { const near = idx.vocabularyNear(w); return fuzzyAlternatives(w, near.lists, near.docCount); }),
  })));
  // label filters also narrow the match in the index (a phrase in the label's column: a superset
  // of the exact label, which is checked after, on what the reader is shown)
  const labels = labelFilterFts(q);
  const and = (...xs: (string | null)[]): string | null => xs.filter(Boolean).join(' AND ') || null;
  const exactFts = and(ftsExpression(exact), labels);
  const fuzzyFts = (): string | null => (withAlternatives().some((t) => t.alts.length) ? and(ftsExpression(withAlternatives()), labels) : null);
  const filters: Filters = {
    tags: (q.tags ?? []).map(fold), people: (q.people ?? []).map(fold), places: (q.places ?? []).map(fold),
    from: q.happened_from, to: q.happened_to,
  };
  const filtered = hasFilters(filters);
  const base = { scopes, member_id: actor, space_id: q.space_id, type: q.type, band: q.band };
  // a candidate's facets come with it from the index (search_docs), parsed once per search
  const facetCache = new Map<number, Facet>();
  const facetOfC = (c: Candidate): Facet => {
    let f = facetCache.get(c.id);
    if (!f) facetCache.set(c.id, (f = facetOf(c)));
    return f;
  };

  // every candidate once, in the order asked; `fuzzy` when only an alternative matched
  function* ordered(): Generator<{ c: Candidate; fuzzy: boolean }> {
    if (sort === 'relevance' && words.length && exactFts) {
      const seen = new Set<number>();
      for (const c of windows(idx, { ...base, fts: exactFts, order: 'rank' }, filtered)) { seen.add(c.id); yield { c, fuzzy: false }; }
      // reached only when the exact matches ran out before the page and the count were full
      const fuzzy = fuzzyFts();
      if (fuzzy) for (const c of windows(idx, { ...base, fts: fuzzy, order: 'rank' }, filtered)) if (!seen.has(c.id)) yield { c, fuzzy: true };
      return;
    }
    const fuzzy = words.length ? fuzzyFts() : null;
    const exactIds = fuzzy && exactFts ? idx.matching(exactFts) : null;
    const tag = (c: Candidate) => ({ c, fuzzy: exactIds ? !exactIds.has(c.id) : false });
    const fts = fuzzy ?? exactFts;
    if (sort === 'updated' || sort === 'relevance') { for (const c of windows(idx, { ...base, fts, order: 'updated' }, filtered)) yield tag(c); return; }
    // created / happened: by a date the index does not hold; sorted here, on what the reader is shown
    const all = idx.candidates({ ...base, fts, order: 'updated', limit: -1, offset: 0 });
    const key = (c: Candidate): number => {
      const f = facetOfC(c);
      if (sort === 'created') return f.created_at;
      // a hidden date does not order anything: the day it was written stands in, as for the filter
      const occurred = f.occurred_at && previewRule(c.band as Band, c.author === actor) !== 'hidden' ? f.occurred_at : null;
      return Date.parse(happenedDay(f, occurred));
    };
    const keyed = all.map((c) => ({ c, k: key(c) }));
    keyed.sort((a, b) => b.k - a.k || b.c.updated_at - a.c.updated_at || (a.c.memory_id < b.c.memory_id ? 1 : -1));
    for (const { c } of keyed) yield tag(c);
  }

  const texts = new Map<number, StoredText>();
  const textOf = (c: Candidate): StoredText => {
    let t = texts.get(c.id);
    if (!t) texts.set(c.id, (t = idx.texts([c.id]).get(c.id) ?? { title: '', body: '', tags: '', people: '', places: '' }));
    return t;
  };
  const visibleFields = (c: Candidate, rule: PreviewRule): string[] => {
    const t = textOf(c);
    return [t.body, t.title, t.tags, t.people, t.places].map((x) => (rule === 'redact_pii' ? maskPlaceholders(previewText(rule, x)) : previewText(rule, x)));
  };

  type Entry = { c: Candidate; fuzzy: boolean; rule: PreviewRule; f: Facet };
  // whether a candidate is a hit for this reader, and how it is shown
  const admit = (c: Candidate, fz: boolean): Entry | null => {
    let fuzzy = fz;
    const rule = previewRule(c.band as Band, c.author === actor); // RED content stays hidden until opened
    const f = facetOfC(c);
    if (!passes(f, rule, filters)) return null;
    if (words.length && rule === 'redact_pii') {
      // the index matched the stored text: it counts only if the words match what the reader is shown
      const fields = visibleFields(c, rule);
      if (!matchesEvery(fields, exact)) {
        if (!matchesEvery(fields, withAlternatives())) return null;
        fuzzy = true;
      }
    }
    return { c, fuzzy, rule, f };
  };

  // By relevance, without a label or date filter, with more than COUNT_CAP exact matches the
  // reader sees in full: the count is "200+" without ranking them all, and the page is the first
  // of the exact matches, found through the impact index (SearchIndex.leading: the same order as
  // ranking every match). Typo-tolerant matches rank after every exact one, so none is on it.
  const leadingPage = (): Entry[] | null => {
    if (sort !== 'relevance' || filtered || !exactFts || !leadable(words)) return null;
    // the same expression (no label filter here), with whole terms where a word begins only one
    const q = { ...base, fts: idx.wholeTerms(words) };
    const fullBands = (Object.keys(p.bands) as Band[]).filter((b) => previewRule(b, false) === 'full');
    // more than the cap among some of the matches (each word's most frequent term) is enough
    const some = idx.someMatches(words);
    const many = (fts: string) => idx.countShownInFull({ ...q, fts }, fullBands, COUNT_CAP + 1) > COUNT_CAP;
    if (!(some && some !== q.fts && many(some)) && !many(q.fts)) return null;
    const rows = idx.leading(q, words, limit);
    if (!rows) return null;
    const out: Entry[] = [];
    for (const c of rows) {
      const e = admit(c, false);
      if (e) out.push(e);
      if (out.length === limit) return out;
    }
    return null; // the bound's prefix ran out before the page filled (readers' redactions): rank every match
  };

  let page: Entry[] = [];
  let count = 0;
  const led = leadingPage();
  if (led) {
    page = led;
    count = COUNT_CAP + 1;
  } else {
    for (const { c, fuzzy } of ordered()) {
      const e = admit(c, fuzzy);
      if (!e) continue;
      count++;
      if (page.length < limit) page.push(e);
      if (count > COUNT_CAP) break;
    }
  }

  const missing = page.filter((h) => !texts.has(h.c.id)).map((h) => h.c.id);
  for (const [id, t] of idx.texts(missing)) texts.set(id, t);
  const hits: MemorySearchResponseHit[] = page.map(({ c, fuzzy, rule, f }) => {
    // the rule applies to the stored text first, the highlighting after: ranges never point into what redaction hides
    const t = textOf(c);
    const shownText = (x: string) => previewText(rule, x);
    const title = shownText(t.title);
    const mask = (x: string) => (rule === 'redact_pii' ? maskPlaceholders(x) : x);
    const shownFields = [t.body, t.tags, t.people, t.places].map(shownText);
    // what matched is marked: the words, and their alternatives only in a typo-tolerant hit
    const terms = fuzzy ? withAlternatives() : exact;
    const snippet = rule === 'hidden' ? { text: '', ranges: [] } : snippetWithRanges(shownFields.map(mask), terms, 12, shownFields);
    return {
      memory_id: c.memory_id, space_id: c.space_id, type: c.type as MemorySearchResponseHit['type'], band: c.band as Band,
      title, snippet: snippet.text, score: c.score, redacted: rule !== 'full', fuzzy,
      updated_at: iso(c.updated_at), created_at: iso(f.created_at), occurred_at: rule === 'hidden' ? null : f.occurred_at,
      highlights: { title: highlightRanges(mask(title), terms), snippet: snippet.ranges },
    };
  });
  const inScope = new Set(scopes.map((s) => s.space_id));
  return { hits, total: Math.min(count, COUNT_CAP), total_capped: count > COUNT_CAP, skipped: ctx.problems.inSpaces(inScope) };
}
