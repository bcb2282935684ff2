/**
 * Search hits come with plain-text titles and snippets (already band-aware: AMBER PII redacted,
 * RED hidden) and the ranges of what matched. Splitting the text at those ranges lets the list
 * mark matches with <mark> without ever using innerHTML: the text stays text, whatever it holds.
 */
export interface SnippetPart { text: string; match: boolean }
export interface TextRange { start: number; end: number }

export function splitRanges(text: string, ranges: readonly TextRange[]): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let last = 0;
  // sorted, clipped to the text, overlaps merged: a malformed range never duplicates or drops text
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    const start = Math.max(last, Math.min(r.start, text.length));
    const end = Math.max(start, Math.min(r.end, text.length));
    if (end === start) continue;
    if (start > last) parts.push({ text: text.slice(last, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    last = end;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}
