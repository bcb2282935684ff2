/**
 * Issue 12's acceptance for files, measured on two real hosts (`memoryos serve` from dist/, each
 * its own process and data directory, paired as two devices of one person over loopback): a
 * 100 MB attachment added on A by path opens on B with the same SHA-256; each host's RSS is read
 * from /proc every 50 ms from just before the add until B has written the file out, and compared
 * with what it was just before; a 32-byte piece of each megabyte of the file is looked for in
 * every file under both data directories.
 *
 * `npm run bench -- --import` runs it as a phase beside its baseline (import-phases.ts); on its own:
 *
 *   npm run build && npx tsx tests/bench/attachment-sync.ts [MiB]
 */
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesUnder, procRss } from './stats';
import { startHost, stopHost, until, SPACE } from './sync-hosts';

const MB = 1024 * 1024;

export async function shaOfFile(p: string): Promise<string> {
  const h = createHash('sha256');
  for await (const piece of createReadStream(p, { highWaterMark: MB })) h.update(piece as Buffer);
  return h.digest('hex');
}

/** A file of random bytes (a video does not compress either), its SHA-256 and a 32-byte piece of each MiB to look for on disk. */
export async function writeRandomFile(path: string, mib: number): Promise<{ sha256: string; samples: Buffer[] }> {
  const fd = openSync(path, 'w');
  const piece = Buffer.alloc(MB);
  const samples: Buffer[] = [];
  for (let i = 0; i < mib; i++) {
    randomFillSync(piece);
    writeSync(fd, piece);
    samples.push(Buffer.from(piece.subarray(i * 997 % (MB - 32), i * 997 % (MB - 32) + 32)));
  }
  closeSync(fd);
  return { sha256: await shaOfFile(path), samples };
}

export interface AttachmentSyncResult {
  mib: number;
  /** attachment.add called → answered (hash + encrypt + store on A) */
  add_ms: number;
  /** from the add: B lists the record, B has every chunk, B wrote it out (attachment.get) */
  listed_ms: number; whole_ms: number; opened_ms: number;
  /** RSS just before the add, at most until the file was whole on B, and at most until written out */
  rss: Record<'a' | 'b', { before: number; peak_whole: number; peak: number }>;
  sha256_equal: boolean;
  plaintext_pieces_found: number; pieces_looked_for: number;
}

/** Two fresh paired hosts; `src` added on A and waited for on B (scratch: where B writes it out). */
export async function measureAttachmentSync(src: string, want: { sha256: string; samples: Buffer[] }, scratch: string): Promise<AttachmentSyncResult> {
  const a = await startHost('a');
  const b = await startHost('b');
  try {
    const aDevice = (await a.call('vault.status')).device_id as string;
    const bDevice = (await b.call('vault.status')).device_id as string;
    const offer = await a.call('device.pairOffer', {});
    const acc = await b.call('device.pairAccept', { invite: offer.invite });
    const offered = await until('A to show the code', async () => ((await a.call('sync.status', {})).offers ?? []).find((o: { device_id: string }) => o.device_id === bDevice)?.code ?? false, 30_000, 20);
    if (acc.code !== offered) throw new Error('pairing codes differ');
    await b.call('device.confirm', { device_id: aDevice });
    await until('A to confirm B', async () => { try { return (await a.call('device.confirm', { device_id: bDevice })).status === 'trusted'; } catch { return false; } }, 30_000, 20);
    const m = (await a.call('memory.create', { space_id: SPACE, type: 'episodic', band: 'GREEN', title: 'holiday', body: 'the video' })).memory.memory_id as string;
    await until('the memory on B', async () => { try { await b.call('memory.get', { memory_id: m }); return true; } catch { return false; } }, 60_000, 50);

    const pids = { a: a.handle.proc.pid!, b: b.handle.proc.pid! };
    const base = { a: procRss(pids.a)!.rss, b: procRss(pids.b)!.rss };
    const peak = { ...base };
    const timer = setInterval(() => {
      for (const k of ['a', 'b'] as const) { const r = procRss(pids[k]); if (r) peak[k] = Math.max(peak[k], r.rss); }
    }, 50);
    const t0 = performance.now();
    let addMs = 0, listedMs = 0, wholeMs = 0;
    let peakWhole = { ...base };
    const out = join(scratch, 'on-b.bin');
    try {
      const att = (await a.call('attachment.add', { memory_id: m, path: src, name: 'video.mp4', mime: 'video/mp4' })).attachment;
      addMs = performance.now() - t0;
      await until('the file whole on B', async () => {
        const l = (await b.call('attachment.list', { memory_id: m })).attachments as { available?: boolean }[];
        if (l.length && !listedMs) listedMs = performance.now() - t0;
        if (l[0]?.available !== true) return false;
        wholeMs = performance.now() - t0;
        peakWhole = { ...peak };
        return true;
      }, 600_000, 50);
      await b.call('attachment.get', { attachment_id: att.attachment_id, out });
    } finally { clearInterval(timer); }
    const openedMs = performance.now() - t0;
    const got = await shaOfFile(out);
    rmSync(out);
    let found = 0;
    for (const dir of [a.dir, b.dir]) for (const f of filesUnder(dir)) { const bytes = readFileSync(f); found += want.samples.filter((s) => bytes.includes(s)).length; }
    return {
      mib: want.samples.length, add_ms: addMs, listed_ms: listedMs, whole_ms: wholeMs, opened_ms: openedMs,
      rss: { a: { before: base.a, peak_whole: peakWhole.a, peak: peak.a }, b: { before: base.b, peak_whole: peakWhole.b, peak: peak.b } },
      sha256_equal: got === want.sha256, plaintext_pieces_found: found, pieces_looked_for: want.samples.length * 2,
    };
  } finally {
    await stopHost(a); await stopHost(b);
  }
}

async function main(): Promise<void> {
  const mib = Number(process.argv[2] ?? 100);
  const scratch = mkdtempSync(join(tmpdir(), 'memoryos-bench-attach-'));
  try {
    const src = join(scratch, 'video.mp4');
    const r = await measureAttachmentSync(src, await writeRandomFile(src, mib), scratch);
    const f = (n: number) => `${(n / MB).toFixed(0)} MB`;
    console.log([
      `${mib} MiB attachment, two hosts (dist/), paired over loopback:`,
      `  add on A (hash + encrypt + store): ${(r.add_ms / 1000).toFixed(1)} s; record listed on B after ${(r.listed_ms / 1000).toFixed(1)} s; whole on B after ${(r.whole_ms / 1000).toFixed(1)} s; written out by attachment.get after ${(r.opened_ms / 1000).toFixed(1)} s`,
      `  RSS growth until the file was whole on B: A +${f(r.rss.a.peak_whole - r.rss.a.before)}, B +${f(r.rss.b.peak_whole - r.rss.b.before)}`,
      `  SHA-256 equal: ${r.sha256_equal}`,
      `  RSS A: ${f(r.rss.a.before)} before, ${f(r.rss.a.peak)} at most (+${f(r.rss.a.peak - r.rss.a.before)}); RSS B: ${f(r.rss.b.before)} before, ${f(r.rss.b.peak)} at most (+${f(r.rss.b.peak - r.rss.b.before)})`,
      `  32-byte pieces of the file found under either data directory: ${r.plaintext_pieces_found} of ${r.pieces_looked_for}`,
    ].join('\n'));
    if (!r.sha256_equal || r.plaintext_pieces_found) process.exitCode = 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
