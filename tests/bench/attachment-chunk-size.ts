/**
 * How big an attachment chunk should be (core/attachments/chunking.ts): adds and reads back the
 * same random file through the real pieces — secretstream push/pull (sodium-native), chunk rows
 * in the encrypted database in 4 MiB transactions (synchronous=FULL) — at 64 KiB, 512 KiB and
 * 1 MiB, best of three. `npx tsx tests/bench/attachment-chunk-size.ts [MiB]`
 */
import { randomBytes } from 'node:crypto';
import { openTestApp } from '../helpers/app';
import { secretstreamOpener, secretstreamSealer } from '../../core/crypto/secretstream';
import { newKey } from '../../core/crypto/sodium';
import { attachmentBlobsTable } from '../../core/store/tables/attachments';
import { chunksOf } from '../../core/attachments/chunking';

async function main(): Promise<void> {
  const mib = Number(process.argv[2] ?? 64);
  const bytes = randomBytes(mib * 1024 * 1024);
  const t = await openTestApp();
  const ctx = t.app.ctx;
  const rows: string[] = [];
  try {
    for (const size of [64 * 1024, 512 * 1024, 1024 * 1024]) {
      let bestAdd = Infinity, bestGet = Infinity;
      for (let run = 0; run < 3; run++) {
        const key = newKey();
        const sealer = secretstreamSealer(key);
        const blobId = `bench-${size}-${run}`;
        ctx.uow.run(() => attachmentBlobsTable.begin(ctx.db, blobId, 'personal:me', sealer.header, size, Date.now()));
        const t0 = performance.now();
        let seq = 0, batch: Uint8Array[] = [], batchBytes = 0;
        const flush = () => { const b = batch; ctx.uow.run(() => { for (const ct of b) attachmentBlobsTable.putChunk(ctx.db, blobId, seq++, ct); }); batch = []; batchBytes = 0; };
        const pieces = (function* () { for (let i = 0; i < bytes.length; i += 1 << 20) yield bytes.subarray(i, i + (1 << 20)); })();
        for await (const { chunk, final } of chunksOf(pieces, size)) {
          const ct = sealer.push(chunk, final);
          batch.push(ct); batchBytes += ct.length;
          if (batchBytes >= 4 << 20) flush();
        }
        flush();
        const t1 = performance.now();
        const opener = secretstreamOpener(key, sealer.header);
        for (let s = 0; s < seq; s++) opener.pull(attachmentBlobsTable.chunk(ctx.db, blobId, s)!.ct);
        const t2 = performance.now();
        bestAdd = Math.min(bestAdd, t1 - t0); bestGet = Math.min(bestGet, t2 - t1);
        ctx.uow.run(() => attachmentBlobsTable.drop(ctx.db, blobId));
      }
      rows.push(`${String(size / 1024).padStart(5)} KiB chunks: add ${(mib / (bestAdd / 1000)).toFixed(0).padStart(4)} MiB/s (${bestAdd.toFixed(0)} ms), read ${(mib / (bestGet / 1000)).toFixed(0).padStart(4)} MiB/s (${bestGet.toFixed(0)} ms), ${Math.ceil(bytes.length / size)} rows`);
    }
  } finally { await t.close(); }
  console.log(`${mib} MiB of random bytes, best of three:\n${rows.join('\n')}`);
}
main().catch((e) => { console.error(e); process.exit(1); });
