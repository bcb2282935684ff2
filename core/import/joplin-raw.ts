/**
 * One item of a Joplin RAW export (`<id>.md`), as Joplin writes it (BaseItem.serialize): the title
 * on the first line, a blank line, the body, a blank line, then one `key: value` line per
 * property, `type_` last. Reading goes from the end, like Joplin's own: property lines up to the
 * first blank line, then the rest is title and body. Property values have `\n` and `\r` escaped
 * (the body does not).
 */

export const JOPLIN_TYPE = { note: 1, folder: 2, setting: 3, resource: 4, tag: 5, noteTag: 6 } as const;

export interface JoplinItem {
  type: number;
  title: string;
  body: string;
  props: Record<string, string>;
}

const unescape = (v: string): string =>
  v.replace(/\\\\n|\\\\r|\\n|\\r/g, (m) => (m === '\\n' ? '\n' : m === '\\r' ? '\r' : m.slice(1)));

export function parseJoplinItem(text: string): JoplinItem {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const props: Record<string, string> = {};
  let i = lines.length - 1;
  while (i >= 0 && lines[i]!.trim() === '') i--; // a trailing newline is not the blank separator
  for (; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line === '') break;
    const p = line.indexOf(':');
    if (p <= 0) throw new Error(`not a Joplin item: the property line "${line.slice(0, 60)}" has no "key:"`);
    const key = line.slice(0, p).trim();
    if (!(key in props)) props[key] = unescape(line.slice(p + 1).trim());
  }
  if (props.type_ === undefined) throw new Error('not a Joplin item: no type_ property');
  const type = Number(props.type_);
  if (!Number.isInteger(type)) throw new Error(`not a Joplin item: type_ is "${props.type_}"`);
  const rest = lines.slice(0, Math.max(0, i));
  return { type, title: rest[0] ?? '', body: rest.slice(2).join('\n'), props };
}
