import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeBigEnex, type BigEnex } from '../unit/import/big-enex';
import { memoryAt } from './corpus';

/**
 * The sources the import phases read (import-phases.ts), written under a temp dir: a Markdown
 * folder from the bench's seeded corpus, and a large ENEX from the unit tests' streaming writer.
 */

const MB = 1024 * 1024;

/**
 * n notes of the corpus (memoryAt: ~1 KB of text each) as an Obsidian-style folder: 10 areas ×
 * 10 topics; YAML front matter with the title, tags, aliases and the dates; the body, a wiki link
 * to another note and an inline tag. Answers the files' paths and their total size.
 */
export function writeMarkdownFolder(root: string, n: number): { files: number; bytes: number } {
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const m = memoryAt(i, n);
    const dir = join(root, `Area ${i % 10}`, `Topic ${Math.floor(i / 10) % 10}`);
    if (i < 100) mkdirSync(dir, { recursive: true });
    // JSON strings are YAML's double-quoted scalars: titles with colons or quotes stay one value
    const text = `---\ntitle: ${JSON.stringify(m.title)}\ntags: [${m.tags.join(', ')}]\naliases: [${JSON.stringify(`N${i}`)}]\n` +
      `created: ${m.occurred_at}\nupdated: ${m.occurred_at}\n---\n${m.body}\n\nSee [[Note ${(i * 7) % n}]]. #${m.tags[0]}\n`;
    writeFileSync(join(dir, `Note ${i}.md`), text);
    bytes += Buffer.byteLength(text);
  }
  return { files: n, bytes };
}

/**
 * The shape of an ENEX of about `mb` MB: a twentieth of it small notes (~2 KB of ENML each; 25k
 * at 1 GB), the rest resources of 8 MiB (smaller below 160 MB, so a small file still has some),
 * base64 in the file: an export of a family's notes is mostly its photos and PDFs.
 */
export function enexShape(mb: number): { notes: number; every: number; resourceBytes: number } {
  const target = mb * MB;
  const notes = Math.max(20, Math.round((target * 0.05) / 2100));
  // a multiple of the writer's 48 KiB seed block (a multiple of 3: base64 lines stay whole)
  const resourceBytes = Math.max(48 * 1024, Math.min(8 * MB, Math.floor(target / 20 / (48 * 1024)) * 48 * 1024));
  const resources = Math.max(1, Math.round((target * 0.95) / (resourceBytes * (4 / 3) * (77 / 76))));
  return { notes, every: Math.max(1, Math.floor(notes / resources)), resourceBytes };
}

export async function writeEnex(path: string, mb: number): Promise<BigEnex & { resourceBytes: number }> {
  const shape = enexShape(mb);
  return { ...(await writeBigEnex(path, shape)), resourceBytes: shape.resourceBytes };
}
