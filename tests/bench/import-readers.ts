/**
 * Import readers' throughput (issue 12 item 4), not run by `npm test` or `npm run bench`:
 *
 *   npx tsx tests/bench/import-readers.ts [notes=100000] [--keep]
 *
 * Generates a Markdown folder of N notes (100 folders, 3 levels; front matter with tags, an alias
 * and dates; a paragraph, a wiki link, an inline tag; every 50th note embeds one of 20 images)
 * into a temp folder, then reads it with the Markdown reader, streaming every attachment as the
 * importer would, and prints notes/s, MB/s and the peak RSS growth. Beside it, the baseline:
 * the same files read raw (readFile of every file, no parsing).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markdownFolder } from '../../core/import/markdown-folder';
import { listFiles } from '../../core/import/walk';

const MB = 1024 * 1024;

function generate(root: string, n: number): number {
  let bytes = 0;
  mkdirSync(join(root, 'attachments'), { recursive: true });
  for (let i = 0; i < 20; i++) writeFileSync(join(root, 'attachments', `photo-${i}.png`), randomBytes(64 * 1024));
  const para = 'We went to the lake with the children and grandma; the water was cold and the picnic long. ';
  for (let i = 0; i < n; i++) {
    const dir = join(root, `Area ${i % 10}`, `Topic ${Math.floor(i / 10) % 10}`);
    if (i < 100) mkdirSync(dir, { recursive: true });
    const text = `---\ntitle: Note ${i}\ntags: [bench, t${i % 37}]\naliases: [N${i}]\ncreated: 2023-01-${String(1 + (i % 28)).padStart(2, '0')} 10:00\nupdated: 2023-02-01T08:00:00Z\n---\n` +
      `${para.repeat(1 + (i % 4))}\n\nSee [[Note ${(i * 7) % n}]]. #day${i % 5}\n` + (i % 50 === 0 ? `\n![[photo-${i % 20}.png]]\n` : '');
    writeFileSync(join(dir, `Note ${i}.md`), text);
    bytes += Buffer.byteLength(text);
  }
  return bytes;
}

async function main(): Promise<void> {
  const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
  const keep = process.argv.includes('--keep');
  const root = mkdtempSync(join(tmpdir(), 'bench-md-'));
  try {
    let t = Date.now();
    const bytes = generate(root, n);
    console.log(`generated ${n} notes (${(bytes / MB).toFixed(1)} MB of Markdown) in ${((Date.now() - t) / 1000).toFixed(1)} s: ${root}`);

    // baseline: list and read every file, nothing else
    t = Date.now();
    const files = await listFiles(root);
    let raw = 0;
    for (const f of files) raw += (await readFile(join(root, f))).length;
    const baseS = (Date.now() - t) / 1000;
    console.log(`baseline (list + readFile of ${files.length} files, ${(raw / MB).toFixed(1)} MB): ${baseS.toFixed(2)} s, ${(files.length / baseS).toFixed(0)} files/s`);

    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
    t = Date.now();
    let items = 0, failures = 0, attachments = 0;
    for await (const ev of markdownFolder.read(root)) {
      if ('failure' in ev) { failures++; continue; }
      items++;
      for (const a of ev.item.attachments) {
        const h = createHash('sha256');
        for await (const c of a.open() as AsyncIterable<Buffer>) h.update(c);
        if (h.digest('hex') !== a.sha256) throw new Error(`attachment ${a.name}: hash mismatch`);
        attachments++;
      }
    }
    clearInterval(timer);
    const s = (Date.now() - t) / 1000;
    console.log(`markdown reader: ${items} notes (${failures} failed, ${attachments} attachments streamed) in ${s.toFixed(2)} s — ` +
      `${(items / s).toFixed(0)} notes/s, ${(bytes / MB / s).toFixed(1)} MB/s; ${(s / baseS).toFixed(1)}× the raw read; ` +
      `peak RSS growth ${((peak - rss0) / MB).toFixed(0)} MB`);
  } finally {
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
