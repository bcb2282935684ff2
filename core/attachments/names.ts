import { invalid } from '../shared/errors';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A file name as kept with a memory: one name, no folders, nothing a file system or a terminal reads as more. */
export function checkName(name: string): string {
  const n = name.normalize('NFC').trim();
  if (!n || n.length > 255) throw invalid('a file name is 1 to 255 characters', { field: 'name' });
  if (/[\\/]/.test(n) || n === '.' || n === '..' || CONTROL.test(n)) throw invalid('a file name is one name, without folders or control characters', { field: 'name' });
  return n;
}

/**
 * A media type such as image/jpeg (what the file is, sealed with its name): kept as its essence,
 * lower case, parameters dropped ("text/plain; charset=utf-8" is text/plain), in the form the
 * export's records take (contracts/storage/export-memory.schema.json).
 */
export function checkMime(mime: string): string {
  const m = (mime.split(';')[0] ?? '').trim().toLowerCase();
  if (m.length > 255 || !/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(m)) throw invalid('mime is a media type such as image/jpeg', { field: 'mime' });
  return m;
}
