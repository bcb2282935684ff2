/**
 * Issue 12's acceptance for files, measured on two real hosts (`memoryos serve` from dist/, each
 * its own process and data directory, paired as two devices of one person over loopback): a
 * 100 MB attachment added on A by path opens on B with the same SHA-256; each host's RSS is read
 * from /proc every 50 ms from just before the add until B has written the file out, and compared
 * with what it was just before; a 32-byte piece of each megabyte of the file is looked for in
 * every file under both data directories.
 *
 *   npm run build && npx tsx tests/bench/attachment-sync.ts [MiB]
 */
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { procRss } from './stats';
import { startHost, stopHost, until, SPACE } from './sync-hosts';

const MB = 1024 * 1024;
const files = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? files(join(d, f)) : [join(d, f)]));

async function shaOfFile(p: string): Promise<string> {
  const h = createHash('sha256');
  for await (const piece of createReadStream(p, { highWaterMark: MB })) h.update(piece as Buffer);
  return h.digest('hex');
}

async function main(): Promise<void> {
  const mib = Number(process.argv[2] ?? 100);
  const scratch = mkdtempSync(join(tmpdir(), 'memoryos-bench-attach-'));
  const src = join(scratch, 'video.mp4');
  const fd = openSync(src, 'w');
  const piece = Buffer.alloc(MB);
  const samples: Buffer[] = [];
  for (let i = 0; i < mib; i++) {
    randomFillSync(piece);
    writeSync(fd, piece);
    samples.push(Buffer.from(piece.subarray(i * 997 % (MB - 32), i * 997 % (MB - 32) + 32)));
  }
  closeSync(fd);
  const want = await shaOfFile(src);

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
    const out = join(scratch, 'video-on-b.mp4');
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
    for (const dir of [a.dir, b.dir]) for (const f of files(dir)) { const bytes = readFileSync(f); found += samples.filter((s) => bytes.includes(s)).length; }
    const f = (n: number) => `${(n / MB).toFixed(0)} MB`;
    console.log([
      `${mib} MiB attachment, two hosts (dist/), paired over loopback:`,
      `  add on A (hash + encrypt + store): ${(addMs / 1000).toFixed(1)} s; record listed on B after ${(listedMs / 1000).toFixed(1)} s; whole on B after ${(wholeMs / 1000).toFixed(1)} s; written out by attachment.get after ${(openedMs / 1000).toFixed(1)} s`,
      `  RSS growth until the file was whole on B: A +${f(peakWhole.a - base.a)}, B +${f(peakWhole.b - base.b)}`,
      `  SHA-256 equal: ${got === want}`,
      `  RSS A: ${f(base.a)} before, ${f(peak.a)} at most (+${f(peak.a - base.a)}); RSS B: ${f(base.b)} before, ${f(peak.b)} at most (+${f(peak.b - base.b)})`,
      `  32-byte pieces of the file found under either data directory: ${found} of ${samples.length * 2}`,
    ].join('\n'));
    if (got !== want || found) process.exitCode = 1;
  } finally {
    await stopHost(a); await stopHost(b);
    rmSync(scratch, { recursive: true, force: true });
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
