/**
 * The export's baseline, in a fresh process: read every raw row, decrypt it, and write the same
 * two files per memory (its JSON and a Markdown rendering) into a ZIP with the same library and
 * writer the export uses — nothing of MemoryOS's policy, read model, signatures or README.
 * argv: <raw dir> <base64 key> <out zip>. Prints {ms, rss_before, peak_rss, bytes, files}.
 */
import { readFileSync } from 'node:fs';
import { core } from './core-dist';
import type { BenchMemory } from './corpus';
import { rawDecrypt } from './raw-aead';
import { openRawDb } from './side-baseline';

const PAGE = 256;

function peakRss(): number {
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) * 1024;
}

async function main(): Promise<void> {
  const [dir, keyB64, out] = process.argv.slice(2);
  const { openArchive } = core.archive();
  const key = new Uint8Array(Buffer.from(keyB64!, 'base64'));
  const db = openRawDb(dir!);
  const page = db.prepare('SELECT id, nonce, ct FROM raw WHERE id > ? ORDER BY id LIMIT ?');
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const w = openArchive(out!);
  let after = '';
  for (;;) {
    const rows = page.all(after, PAGE) as { id: string; nonce: Buffer; ct: Buffer }[];
    for (const r of rows) {
      const plain = rawDecrypt(r.ct, r.id, r.nonce, key);
      const m = JSON.parse(Buffer.from(plain).toString('utf8')) as BenchMemory;
      await w.addFile(`memories/${r.id}.json`, Buffer.from(JSON.stringify({ memory_id: r.id, ...m }, null, 2) + '\n'));
      await w.addFile(`memories/${r.id}.md`, Buffer.from(`---\ntitle: ${JSON.stringify(m.title)}\n---\n\n${m.body}\n`));
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
  const done = await w.finish();
  const ms = performance.now() - t0;
  db.close();
  process.stdout.write(JSON.stringify({ ms, rss_before: rssBefore, peak_rss: peakRss(), bytes: done.bytes, files: done.files.length }));
}

main().catch((e) => { process.stderr.write(`export-baseline failed: ${(e as Error).stack ?? String(e)}\n`); process.exit(1); });
