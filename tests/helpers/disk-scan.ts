import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir`, in subfolders too: what a stolen data directory would hold. */
export const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));

/**
 * Whether any 32-byte run of `plain` is in `hay`. Any such run contains a whole 16-byte window of
 * `plain` starting at a multiple of 16, so those windows are indexed and every offset of `hay`
 * is looked up (then the 32 bytes around a hit are compared).
 */
export function holdsRunOf(hay: Buffer, plain: Buffer): boolean {
  const windows = new Map<string, number[]>();
  for (let i = 0; i + 16 <= plain.length; i += 16) {
    const k = plain.toString('latin1', i, i + 16);
    const list = windows.get(k);
    if (list) list.push(i); else windows.set(k, [i]);
  }
  const s = hay.toString('latin1');
  for (let j = 0; j + 16 <= s.length; j++) {
    const at = windows.get(s.slice(j, j + 16));
    if (!at) continue;
    for (const i of at) {
      // the 32-byte run may start up to 15 bytes before the window
      for (let back = 0; back < 16; back++) {
        const p = i - back, h = j - back;
        if (p < 0 || h < 0 || p + 32 > plain.length || h + 32 > hay.length) continue;
        if (plain.subarray(p, p + 32).equals(hay.subarray(h, h + 32))) return true;
      }
    }
  }
  return false;
}
