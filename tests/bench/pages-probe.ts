/**
 * Which tables the pages of one memory.create's commit belong to: on a copy of a kept vault
 * (search-probe.ts make), the WAL is emptied, `n` creates run one by one, and the WAL's frame
 * headers (page numbers, not encrypted) are mapped to tables and indexes through dbstat.
 *
 *   npx tsx tests/bench/pages-probe.ts /tmp/search-vault [n=20]
 */
import { readFileSync } from 'node:fs';
import { extraMemoryAt } from './corpus';
import { withVaultCopy } from './vault-copy';

async function main(): Promise<void> {
  const [src = '/tmp/search-vault', count = '20'] = process.argv.slice(2);
  await withVaultCopy(src, 'pages-probe', {}, async (app, space, db) => {
    // a warm-up create, then every merge done, then an empty WAL
    await app.call('memory.create', { space_id: space, ...extraMemoryAt(200_000, 100_000) });
    db.exec("INSERT INTO search_fts (search_fts, rank) VALUES ('merge', -100000)");
    db.exec("INSERT INTO search_lead (search_lead, rank) VALUES ('merge', -100000)");
    db.pragma('wal_checkpoint(TRUNCATE)');
    const owner = new Map<number, string>();
    for (const r of db.prepare('SELECT name, pageno FROM dbstat').iterate() as Iterable<{ name: string; pageno: number }>) owner.set(r.pageno, r.name);
    for (let j = 0; j < Number(count); j++) await app.call('memory.create', { space_id: space, ...extraMemoryAt(200_001 + j, 100_000) });
    const wal = readFileSync(db.name + '-wal');
    const pageSize = wal.readUInt32BE(8);
    const by = new Map<string, number>();
    let frames = 0;
    for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize) {
      const name = owner.get(wal.readUInt32BE(off)) ?? '(new page)';
      by.set(name, (by.get(name) ?? 0) + 1);
      frames++;
    }
    console.log(`${frames} frames for ${count} creates: ${(frames / Number(count)).toFixed(1)} per create`);
    for (const [name, k] of [...by].sort((a, b) => b[1] - a[1])) console.log(`  ${(k / Number(count)).toFixed(2).padStart(6)}  ${name}`);
  });
}
main().catch((e: Error) => { process.stderr.write(`${e.stack ?? e.message}\n`); process.exit(1); });
