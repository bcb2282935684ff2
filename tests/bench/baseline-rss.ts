/**
 * A fresh process holding what a searchable vault holds in the raw baseline (a decrypted FTS5 of
 * every memory), to set its RSS beside the host's. argv: <dir> <base64 key> <n>. Prints bytes.
 */
import { queries } from './corpus';
import { openRawDb, rawSearch, rebuildFts } from './side-baseline';
import { rssBytes } from './stats';

async function main(): Promise<void> {
  const [dir, key, n] = process.argv.slice(2);
  const db = openRawDb(dir!);
  const fts = rebuildFts(db, new Uint8Array(Buffer.from(key!, 'base64')));
  const search = rawSearch(fts);
  for (const q of queries(Number(n), 50)) search(q.query);
  process.stdout.write(String(rssBytes()));
  db.close();
  fts.close();
}

main().catch((e) => { process.stderr.write(`baseline-rss failed: ${(e as Error).stack ?? String(e)}\n`); process.exit(1); });
