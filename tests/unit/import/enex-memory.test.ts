import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enex } from '../../../core/import/enex';
import { writeBigEnex } from './big-enex';

/**
 * MEMORY-BOUNDED ENEX TEST (slow: a ~200 MB file, ~15–30 s on a 2-core machine).
 * A big ENEX is generated on the fly as a stream: 30 000 small notes and 5 resources of 20 MB.
 * Reading it — and streaming every attachment back out, as the importer will — must keep the
 * process's RSS within 150 MB of where it started.
 */
const dir = mkdtempSync(join(tmpdir(), 'enex-big-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ENEX reader, memory bounded', () => {
  it('[memory-bounded, ~200 MB ENEX] reads every note and resource with RSS growth under 150 MB', async () => {
    const file = join(dir, 'big.enex');
    const MB = 1024 * 1024;
    const gen = await writeBigEnex(file, { notes: 30_000, every: 6_000, resourceBytes: 20 * MB });
    expect(gen.bytes).toBeGreaterThan(190 * MB);

    const base = process.memoryUsage().rss;
    let peak = base;
    const sample = (): void => { peak = Math.max(peak, process.memoryUsage().rss); };
    const timer = setInterval(sample, 20);
    const t0 = Date.now();
    let items = 0;
    let failures = 0;
    const got = new Map<number, { sha256: string; size: number }>();
    try {
      for await (const ev of enex.read(file)) {
        sample();
        if ('failure' in ev) { failures++; continue; }
        items++;
        for (const a of ev.item.attachments) {
          const h = createHash('sha256');
          let size = 0;
          for await (const c of a.open() as AsyncIterable<Buffer>) { h.update(c); size += c.length; sample(); }
          const streamed = { sha256: h.digest('hex'), size };
          expect(a).toMatchObject(streamed); // what the item says is what open() gives
          got.set(Number(ev.item.title.slice('Note '.length)), streamed);
        }
      }
    } finally {
      clearInterval(timer);
    }
    const seconds = (Date.now() - t0) / 1000;
    const growthMb = (peak - base) / MB;
    console.log(`[memory-bounded ENEX] ${(gen.bytes / MB).toFixed(0)} MB, ${items} notes in ${seconds.toFixed(1)} s ` +
      `(${(gen.bytes / MB / seconds).toFixed(1)} MB/s); RSS ${(base / MB).toFixed(0)} MB → peak ${(peak / MB).toFixed(0)} MB (growth ${growthMb.toFixed(1)} MB)`);
    expect(failures).toBe(0);
    expect(items).toBe(gen.notes);
    expect(got).toEqual(gen.resources);
    expect(growthMb).toBeLessThan(150);
  }, 180_000);
});
