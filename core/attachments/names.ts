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

/** A media type such as image/jpeg (what the file is, sealed with its name). */
export function checkMime(mime: string): string {
  const m = mime.trim().toLowerCase();
  if (m.length > 255 || !/^[^\s/]+\/[^\s]+$/.test(m)) throw invalid('mime is a media type such as image/jpeg', { field: 'mime' });
  return m;
}
