import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../../core/attachments/chunking';
import { applyBand } from '../../core/memories/band';
import { loadRecord } from '../../core/memories/read-model';
import { PASS } from '../helpers/app';
import { device, waitFor, type TestApp } from '../helpers/sync';
import { tempDir } from '../helpers/tmp';
import { decryptedPages } from '../helpers/vault-db';
import { filesUnder, holdsRunOf } from '../helpers/disk-scan';

/**
 * Issue 12: files sync to the other devices of a space as their own entries — what a file is in
 * the memory's files document (sync log, under the memory's key), its chunks fetched apart with
 * back-pressure — on two real devices of two people (Ana's, and Bea's, who joined by invite),
 * over loopback Noise streams.
 */
const SPACE = 'shared:family';
/** the chunk size files are cut into (the tests count chunks in it) */
const CHUNK = CHUNK_SIZE;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');


const rowsOf = (t: TestApp, memoryId: string): number => (t.app.ctx.db.prepare('SELECT COUNT(*) AS n FROM attachments WHERE memory_id = ?').get(memoryId) as { n: number }).n;
const chunksOfBlob = (t: TestApp, blobId: string): number => (t.app.ctx.db.prepare('SELECT COUNT(*) AS n FROM attachment_chunks WHERE blob_id = ?').get(blobId) as { n: number }).n;
const blobOf = (t: TestApp, attachmentId: string): string => (t.app.ctx.db.prepare('SELECT blob_id FROM attachments WHERE attachment_id = ?').get(attachmentId) as { blob_id: string }).blob_id;

/** the file as the other device opens it, once its chunks have arrived */
async function arrived(t: TestApp, attachmentId: string, out: string, withinMs = 60_000): Promise<Buffer> {
  await waitFor('the file to arrive', async () => {
    try { await t.c('attachment.get', { attachment_id: attachmentId, out }); return true; } catch (e) {
      if ((e as { details?: { reason?: string }; code?: string }).details?.reason === 'NOT_SYNCED' || (e as { code?: string }).code === 'NOT_FOUND') return false;
      throw e;
    }
  }, withinMs);
  return readFileSync(out);
}

describe('attachments between two people\'s devices', () => {
  let a: TestApp;
  let b: TestApp;
  let scratch: ReturnType<typeof tempDir>;
  const outA: string[] = [];
  let bea = '';
  beforeAll(async () => {
    scratch = tempDir('memoryos-attachments-sync-');
    a = await device('Ana', { tap: (dir, frame) => { if (dir === 'out') outA.push(frame.subarray(0, 200).toString('latin1')); } });
    b = await device('Bea');
    await a.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    const inv = await a.c('space.invite', { space_id: SPACE, role: 'adult' });
    await b.c('space.join', { invite: inv.invite });
    bea = b.app.ctx.keyring!.memberId;
    await waitFor('Bea in the space', async () => (await a.c('space.get', { space_id: SPACE })).space.members?.some((m: any) => m.member_id === bea) ?? false, 30_000);
  }, 90_000);
  afterAll(async () => { await a?.close(); await b?.close(); scratch?.cleanup(); });

  const mem = async (band: string, extra: Record<string, unknown> = {}): Promise<string> =>
    (await a.c('memory.create', { space_id: SPACE, type: 'semantic', band, title: `with a file (${band})`, body: 'b', ...extra })).memory.memory_id;

  it('a file added on one device opens on the other with the same SHA-256; nothing of it in plaintext under the other data directory', async () => {
    const bytes = randomBytes(6 * CHUNK + 777);
    const p = join(scratch.dir, 'scan.pdf');
    writeFileSync(p, bytes);
    const m = await mem('GREEN');
    const att = (await a.c('attachment.add', { memory_id: m, path: p, name: 'scan.pdf', mime: 'application/pdf' })).attachment;
    // the record first (available: false until the chunks are here), then the file; SYNC_APPLIED says when
    const events: any[] = [];
    const off = b.app.subscribe('SYNC_APPLIED', (e: any) => { if (e.payload.files) events.push(e.payload); });
    await waitFor('the record on B', async () => (await b.c('attachment.list', { memory_id: m })).attachments.length === 1, 30_000);
    await waitFor('the file on B', async () => (await b.c('attachment.list', { memory_id: m })).attachments[0].available, 30_000);
    expect((await b.c('attachment.list', { memory_id: m })).attachments).toEqual([att]);
    await waitFor('the arrival event', () => events.some((p) => p.memory_ids.includes(m) && p.entries === 0 && p.files === 1), 10_000);
    off();
    const got = await arrived(b, att.attachment_id, join(scratch.dir, 'scan-on-b.pdf'));
    expect(sha(got)).toBe(sha(bytes));
    expect(chunksOfBlob(b, blobOf(b, att.attachment_id))).toBe(7);
    for (const f of filesUnder(b.dir)) expect(holdsRunOf(readFileSync(f), bytes), f).toBe(false);
    // and Bea's device dedupes what it received against what she adds herself
    const mine = await b.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'mine', body: 'x' });
    const again = (await b.c('attachment.add', { memory_id: mine.memory.memory_id, path: p, name: 'same.pdf', mime: 'application/pdf' })).attachment;
    expect(blobOf(b, again.attachment_id)).toBe(blobOf(b, att.attachment_id));
  }, 120_000);

  it('a RED memory\'s file reaches only a recipient\'s device: no record, no key and no chunk on anyone else\'s', async () => {
    const secret = randomBytes(CHUNK + 5);
    const closed = await mem('RED');
    const sealedToBea = await mem('RED', { recipients: [bea] });
    const x = (await a.c('attachment.add', { memory_id: closed, data_base64: secret.toString('base64'), name: 'only-ana.bin', mime: 'application/octet-stream' })).attachment;
    const y = (await a.c('attachment.add', { memory_id: sealedToBea, data_base64: secret.toString('base64'), name: 'for-bea.bin', mime: 'application/octet-stream' })).attachment;
    const got = await arrived(b, y.attachment_id, join(scratch.dir, 'for-bea.bin'));
    expect(sha(got)).toBe(sha(secret));
    // the memory sealed to Ana alone: its files document reached B as ciphertext B cannot open
    expect(rowsOf(b, closed)).toBe(0);
    await expect(b.c('attachment.get', { attachment_id: x.attachment_id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(b.app.ctx.db.prepare('SELECT COUNT(*) AS n FROM sync_log WHERE doc_id = ?').get(`${closed}.files`)).toEqual({ n: 1 });
  }, 120_000);

  it('a chunk altered on the way is refused before it is stored; the file arrives whole once the link is honest again', async () => {
    const bytes = randomBytes(3 * CHUNK);
    const m = await mem('GREEN');
    const refusedBefore = b.app.sync!.refused.bad_signature ?? 0;
    // A's link flips one character of the second chunk of every file it sends
    a.link.tamper = (f) => (f.t === 'file_chunk' && f.seq === 1 ? { ...f, ct: f.ct.slice(0, 100) + (f.ct[100] === 'A' ? 'B' : 'A') + f.ct.slice(101) } : f);
    try {
      const att = (await a.c('attachment.add', { memory_id: m, data_base64: bytes.toString('base64'), name: 'x.bin', mime: 'application/octet-stream' })).attachment;
      await waitFor('B to refuse the altered chunk', () => (b.app.sync!.refused.bad_signature ?? 0) > refusedBefore, 30_000);
      expect(chunksOfBlob(b, blobOf(b, att.attachment_id))).toBe(0);
      await expect(b.c('attachment.get', { attachment_id: att.attachment_id })).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'NOT_SYNCED' } });
      a.link.tamper = undefined;
      // a new session asks again (the one that sent a bad chunk is not asked for that file twice)
      await b.c('sync.disconnect');
      await b.c('sync.connect', { address: `127.0.0.1:${a.app.sync!.direct!.port}` });
      expect(sha(await arrived(b, att.attachment_id, join(scratch.dir, 'x-after.bin')))).toBe(sha(bytes));
    } finally { a.link.tamper = undefined; }
  }, 120_000);

  it('a BLACK memory\'s file never leaves its device, even when asked for by id', async () => {
    const black = await mem('BLACK');
    const z = (await a.c('attachment.add', { memory_id: black, data_base64: randomBytes(4000).toString('base64'), name: 'diary.txt', mime: 'text/plain' })).attachment;
    // a marker after it: once B holds this, it holds everything A wrote before
    const marker = await mem('GREEN');
    await waitFor('the marker on B', async () => { try { await b.c('memory.get', { memory_id: marker }); return true; } catch { return false; } }, 30_000);
    expect(rowsOf(b, black)).toBe(0);
    expect(b.app.ctx.db.prepare("SELECT COUNT(*) AS n FROM sync_log WHERE doc_id LIKE ?").get(`${black}%`)).toEqual({ n: 0 });
    // a peer that asks anyway (a modified client that learned the id) gets file_none, no chunk
    outA.length = 0;
    const session = [...b.app.sync!.sessions][0]!;
    session.send({ t: 'file_want', space: 'personal:me', attachment_id: z.attachment_id });
    session.send({ t: 'file_want', space: SPACE, attachment_id: z.attachment_id });
    await waitFor('A to answer', () => outA.filter((f) => f.includes('"t":"file_none"')).length >= 2, 10_000);
    expect(outA.some((f) => f.includes('"t":"file_chunk"'))).toBe(false);
    // lowered (what the undo window applies once it passes): its files enter the sync log with it, and then travel
    const rec = loadRecord(a.app.ctx, black);
    a.app.ctx.uow.run(() => applyBand(a.app.ctx, rec.author, rec, 'AMBER'));
    expect(a.app.ctx.db.prepare('SELECT COUNT(*) AS n FROM local_log WHERE doc_id = ?').get(`${black}.files`)).toEqual({ n: 0 });
    const got = await arrived(b, z.attachment_id, join(scratch.dir, 'diary-lowered.txt'));
    expect(sha(got)).toBe(z.sha256);
  }, 120_000);

  it('removing a file, or erasing its memory, removes its chunks on the other device too, with nothing of them left in any page', async () => {
    const bytes = randomBytes(2 * CHUNK + 3);
    const m = await mem('AMBER');
    const keep = await mem('GREEN');
    const del = (await a.c('attachment.add', { memory_id: keep, data_base64: randomBytes(3000).toString('base64'), name: 'gone-soon.txt', mime: 'text/plain' })).attachment;
    const att = (await a.c('attachment.add', { memory_id: m, data_base64: bytes.toString('base64'), name: 'erase.bin', mime: 'application/octet-stream' })).attachment;
    await arrived(b, att.attachment_id, join(scratch.dir, 'erase-on-b.bin'));
    await arrived(b, del.attachment_id, join(scratch.dir, 'gone-on-b.txt'));
    const blob = blobOf(b, att.attachment_id);
    const delBlob = blobOf(b, del.attachment_id);
    const cts = (b.app.ctx.db.prepare('SELECT ct FROM attachment_chunks WHERE blob_id = ?').all(blob) as { ct: Buffer }[]).map((r) => r.ct);
    expect(cts).toHaveLength(3);

    // Bea removes a file of Ana's GREEN memory (an edit she may make): it goes on Ana's device too
    const aBlob = blobOf(a, del.attachment_id);
    await b.c('attachment.delete', { attachment_id: del.attachment_id });
    expect(chunksOfBlob(b, delBlob)).toBe(0);
    await waitFor('the removal on A', () => rowsOf(a, keep) === 0 && chunksOfBlob(a, aBlob) === 0, 30_000);

    expect((await a.c('privacy.erase', { memory_ids: [m], confirm: true })).erased).toEqual([m]);
    await waitFor('the erasure on B', () => rowsOf(b, m) === 0 && chunksOfBlob(b, blob) === 0, 30_000);
    // B keeps writing (hellos, peers): fold its WAL in as closing would, then read every page decrypted, free ones included
    b.app.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    const copy = decryptedPages(b.dir, PASS);
    for (const ct of cts) for (let i = 0; i + 24 <= ct.length; i += 4096) expect(copy.includes(ct.subarray(i, i + 24))).toBe(false);
    for (const f of filesUnder(b.dir)) expect(holdsRunOf(readFileSync(f), bytes), f).toBe(false);
  }, 120_000);
});

describe('attachments over a link that drops, duplicates and reorders frames', () => {
  const apps: TestApp[] = [];
  afterAll(async () => { for (const t of apps) await t.close(); });

  it('the file still arrives whole: a lost or late chunk is asked for again from where the held ones end', async () => {
    const faults = { drop: 0.08, duplicate: 0.08, reorder: 0.08, seed: 12 };
    const a = await device('Ana'); apps.push(a);
    const b = await device('Bea'); apps.push(b);
    await a.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    await b.c('space.join', { invite: (await a.c('space.invite', { space_id: SPACE, role: 'adult' })).invite });
    const bea = b.app.ctx.keyring!.memberId;
    await waitFor('Bea in the space', async () => (await a.c('space.get', { space_id: SPACE })).space.members?.some((m: any) => m.member_id === bea) ?? false, 30_000);
    const resumedFrom: number[] = [];
    b.link.tap = (dir, frame) => {
      if (dir !== 'out' || !frame.subarray(0, 20).toString('latin1').includes('"t":"file_want"')) return;
      const from = (JSON.parse(frame.toString('utf8')) as { from?: number }).from;
      if (from) resumedFrom.push(from);
    };
    a.link.faults = faults;
    b.link.faults = { ...faults, seed: 13 };
    const bytes = randomBytes(30 * CHUNK + 11);
    const m = (await a.c('memory.create', { space_id: SPACE, type: 'semantic', band: 'GREEN', title: 'over a bad link', body: 'x' })).memory.memory_id;
    const att = (await a.c('attachment.add', { memory_id: m, data_base64: bytes.toString('base64'), name: 'big.bin', mime: 'application/octet-stream' })).attachment;
    const scratch = tempDir('memoryos-attachments-faults-');
    try {
      // arrival, not speed, is what is asserted: on a busy machine a run of lost resumes costs stalls
      const got = await arrived(b, att.attachment_id, join(scratch.dir, 'big-on-b.bin'), 150_000);
      expect(sha(got)).toBe(sha(bytes));
      expect(a.link.injected.drop + a.link.injected.reorder).toBeGreaterThan(0);
      expect(b.app.sync!.refused.gap ?? 0).toBeGreaterThan(0);
      // resumed where the held chunks end, not started over
      expect(resumedFrom.length).toBeGreaterThan(0);
      expect(Math.max(...resumedFrom)).toBeGreaterThan(1);
    } finally { a.link.faults = undefined; b.link.faults = undefined; b.link.tap = undefined; scratch.cleanup(); }
  }, 180_000);
});
