import { readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** the ordering every reader uses: by UTF-16 code units, so it is the same on every machine and locale */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every regular file under `root`, as sorted relative paths with `/` separators. Entries whose
 * name starts with a dot (`.obsidian/`, `.trash/`, `.DS_Store`) and symbolic links are skipped:
 * an import reads what the folder holds, nothing it merely points at.
 */
export async function listFiles(root: string, options: { skip?: (relDir: string) => boolean } = {}): Promise<string[]> {
  const out: string[] = [];
  const visit = async (relDir: string): Promise<void> => {
    const entries = await readdir(relDir ? join(root, relDir) : root, { withFileTypes: true });
    entries.sort((a, b) => byCodeUnits(a.name, b.name));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!options.skip?.(rel)) await visit(rel);
      } else if (e.isFile()) out.push(rel);
    }
  };
  await visit('');
  return out;
}

/**
 * Whether some file below `root` (dot-entries and links skipped, as in `listFiles`) passes
 * `test`, looking at no more than `budget` entries, breadth first: a cheap look for detection.
 */
export async function someFile(root: string, test: (name: string) => boolean, budget = 5000): Promise<boolean> {
  const queue = [root];
  let seen = 0;
  while (queue.length && seen < budget) {
    const dir = queue.shift()!;
    let entries;
    try { entries = await readdir(dir, { withFileTypes: true }); } catch { continue; }
    for (const e of entries) {
      if (++seen > budget) return false;
      if (e.name.startsWith('.')) continue;
      if (e.isFile() && test(e.name)) return true;
      if (e.isDirectory()) queue.push(join(dir, e.name));
    }
  }
  return false;
}

/**
 * The absolute path of `target` (relative to `base`) if it stays inside `root`, else undefined:
 * a note that links `../../.ssh/id_rsa` or `/etc/passwd` must not pull that file into the vault.
 */
export function insideRoot(root: string, base: string, target: string): string | undefined {
  if (isAbsolute(target) || /^[a-zA-Z]:[\\/]/.test(target)) return undefined;
  const abs = resolve(base, target);
  const rel = relative(resolve(root), abs);
  if (rel === '' || rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) return undefined;
  return abs;
}

/** `a/b/c.md` → `a/b` ('' at the top) */
export const dirOf = (rel: string): string => (rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '');

/** `a/b/c.md` → `c.md` */
export const baseOf = (rel: string): string => rel.slice(rel.lastIndexOf('/') + 1);

/** `c.md` → `c` */
export const stemOf = (name: string): string => (name.lastIndexOf('.') > 0 ? name.slice(0, name.lastIndexOf('.')) : name);
