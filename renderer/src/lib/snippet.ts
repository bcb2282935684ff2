/**
 * Search snippets come from the core's full-text index with matches wrapped in [ and ], and are
 * already band-aware (AMBER PII redacted, RED hidden). Parsing them into parts lets the list mark
 * matches with <mark> without ever using innerHTML.
 */
export interface SnippetPart { text: string; match: boolean }

export function parseSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const re = /\[([^\[\]]*)\]/g;
  let last = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > last) parts.push({ text: snippet.slice(last, m.index), match: false });
    if (m[1]) parts.push({ text: m[1], match: true });
    last = m.index + m[0].length;
  }
  if (last < snippet.length) parts.push({ text: snippet.slice(last), match: false });
  return parts;
}
