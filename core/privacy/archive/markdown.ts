import { dump } from 'js-yaml';
import { EXPORT_MEMORY_FIELDS, type ExportMemory } from './export-memory';

/**
 * memories/<id>.md: YAML front matter with every field of the memory but its body, then the body.
 *
 * The front matter is written by js-yaml, which quotes whatever a YAML 1.1 or 1.2 reader would
 * otherwise take for something else ("yes", "no", "null", "2026-01-01", "0o17", "- x", "#x"…),
 * escapes control characters, and writes multi-line strings as indented blocks, so no line of a
 * field can close the front matter. The body follows verbatim after a blank line; the front
 * matter ends at the first "---" line, so a "---" in the body changes nothing.
 */
export function renderMemoryMarkdown(m: ExportMemory): string {
  const front: Record<string, unknown> = { title: m.title };
  for (const k of EXPORT_MEMORY_FIELDS) if (k !== 'body' && k !== 'title') front[k] = m[k];
  const yaml = dump(front, { lineWidth: -1, noRefs: true });
  const body = m.body.length === 0 || m.body.endsWith('\n') ? m.body : m.body + '\n';
  return `---\n${yaml}---\n${body.length ? '\n' + body : ''}`;
}

export const memoryMarkdown = (m: ExportMemory): Buffer => Buffer.from(renderMemoryMarkdown(m), 'utf8');
