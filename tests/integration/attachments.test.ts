import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../../core/attachments/chunking';
import { addAttachment } from '../../core/attachments';
import { PASS, TestClock, openTestApp } from '../helpers/app';
import { tempDir } from '../helpers/tmp';
import { decryptedPages } from '../helpers/vault-db';
import { filesUnder, holdsRunOf } from '../helpers/disk-scan';

/**
 * Issue 12, item 2: files kept with memories, on a real vault (encrypted SQLite file, sodium-native
 * secretstream), called through the real router as each member.
 */
type T = Awaited<ReturnType<typeof openTestApp>>;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
/** the chunk size files are cut into (the tests count chunks in it) */
const CHUNK = CHUNK_SIZE;


const chunkRows = (t: T, blobId?: string): number => (blobId
  ? t.app.ctx.db.prepare('SELECT COUNT(*) AS n FROM attachment_chunks WHERE blob_id = ?').get(blobId) as { n: number }
  : t.app.ctx.db.prepare('SELECT COUNT(*) AS n FROM attachment_chunks').get() as { n: number }).n;
const blobOf = (t: T, attachmentId: string): string => (t.app.ctx.db.prepare('SELECT blob_id FROM attachments WHERE attachment_id = ?').get(attachmentId) as { blob_id: string }).blob_id;
const chunkCiphertexts = (t: T, blobId: string): Buffer[] => (t.app.ctx.db.prepare('SELECT ct FROM attachment_chunks WHERE blob_id = ? ORDER BY seq').all(blobId) as { ct: Buffer }[]).map((r) => r.ct);

describe('attachments on a real vault', () => {
  let t: T;
  let scratch: ReturnType<typeof tempDir>;
  const mem = async (band = 'GREEN', extra: Record<string, unknown> = {}, space = 'personal:me', as?: string): Promise<string> =>
    (await t.c('memory.create', { space_id: space, type: 'semantic', band, title: 'with files', body: 'b', ...extra }, as)).memory.memory_id;
  const fileOf = (name: string, bytes: Buffer): string => { const p = join(scratch.dir, name); writeFileSync(p, bytes); return p; };

  beforeAll(async () => {
    t = await openTestApp();
    scratch = tempDir('memoryos-attachments-src-');
    await t.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
  }, 60_000);
  afterAll(async () => { await t?.close(); scratch?.cleanup(); });

  it('add by path, list, get to a file: a multi-chunk file comes back with the same SHA-256; a small one inline; name and type sealed', async () => {
    const bytes = randomBytes(2 * CHUNK + 12345); // three chunks, the last one short
    const id = await mem();
    const added = (await t.c('attachment.add', { memory_id: id, path: fileOf('scan-of-passport.pdf', bytes), name: 'scan-of-passport.pdf', mime: 'application/pdf' })).attachment;
    expect(added).toMatchObject({ memory_id: id, space_id: 'personal:me', name: 'scan-of-passport.pdf', mime: 'application/pdf', size: bytes.length, sha256: sha(bytes) });
    expect(chunkRows(t, blobOf(t, added.attachment_id))).toBe(3);
    expect((await t.c('attachment.list', { memory_id: id })).attachments).toEqual([added]);

    const out = join(scratch.dir, 'back.pdf');
    const got = await t.c('attachment.get', { attachment_id: added.attachment_id, out });
    expect(got).toEqual({ attachment: added, out });
    expect(sha(readFileSync(out))).toBe(sha(bytes));
    // an existing file is never replaced
    await expect(t.c('attachment.get', { attachment_id: added.attachment_id, out })).rejects.toMatchObject({ code: 'CONFLICT' });

    const small = Buffer.from('the wifi password is on the fridge');
    const inline = (await t.c('attachment.add', { memory_id: id, data_base64: small.toString('base64'), name: 'note.txt', mime: 'text/plain' })).attachment;
    const back = await t.c('attachment.get', { attachment_id: inline.attachment_id });
    expect(Buffer.from(back.data_base64, 'base64').equals(small)).toBe(true);
    expect((await t.c('attachment.list', { memory_id: id })).attachments.map((a: any) => a.name)).toEqual(['scan-of-passport.pdf', 'note.txt']);

    // an empty file is a file too (one empty final chunk)
    const empty = (await t.c('attachment.add', { memory_id: id, data_base64: '', name: 'empty.txt', mime: 'text/plain' })).attachment;
    expect(empty.size).toBe(0);
    expect((await t.c('attachment.get', { attachment_id: empty.attachment_id })).data_base64).toBe('');

    // nothing of the file, its name or its type is in any page of the database, decrypted
    t.app.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    const copy = decryptedPages(t.dir, PASS);
    expect(holdsRunOf(copy, bytes)).toBe(false);
    expect(copy.includes(Buffer.from('scan-of-passport'))).toBe(false);
    expect(copy.includes(Buffer.from('application/pdf'))).toBe(false);
    expect(copy.includes(Buffer.from('wifi password'))).toBe(false);
    // the dedupe key on disk is not the file's SHA-256
    expect(copy.includes(Buffer.from(sha(bytes), 'hex'))).toBe(false);
    expect(copy.includes(Buffer.from(sha(bytes)))).toBe(false);
  }, 60_000);

  it('a 6 MiB stream from the importer: no 32-byte run of it in any file under the data directory', async () => {
    const bytes = randomBytes(6 * 1024 * 1024 + 7);
    const id = await mem();
    // the importer's door: a Readable, read once, never whole in memory
    const source = Readable.from((function* () { for (let i = 0; i < bytes.length; i += 100_000) yield bytes.subarray(i, i + 100_000); })());
    const a = await addAttachment(t.app.ctx, t.app.ctx.keyring!.memberId, { memory_id: id, source, name: 'trip.mov', mime: 'video/quicktime', sha256: sha(bytes) });
    expect(a.sha256).toBe(sha(bytes));
    expect(chunkRows(t, blobOf(t, a.attachment_id))).toBe(Math.ceil(bytes.length / CHUNK));
    for (const f of filesUnder(t.dir)) expect(holdsRunOf(readFileSync(f), bytes), f).toBe(false);
    const out = join(scratch.dir, 'trip.mov');
    await t.c('attachment.get', { attachment_id: a.attachment_id, out });
    expect(sha(readFileSync(out))).toBe(sha(bytes));
    // a stream whose bytes are not the ones described keeps nothing
    const before = chunkRows(t);
    await expect(addAttachment(t.app.ctx, t.app.ctx.keyring!.memberId, { memory_id: id, source: Readable.from([Buffer.from('other bytes')]), name: 'x.bin', mime: 'application/octet-stream', sha256: sha(bytes) }))
      .rejects.toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'SHA256_MISMATCH' } });
    expect(chunkRows(t)).toBe(before);
    expect(t.app.ctx.db.prepare('SELECT COUNT(*) AS n FROM attachment_blobs WHERE complete = 0').get()).toEqual({ n: 0 });
  }, 120_000);

  it('the same bytes twice in a space are stored once; in another space again, under an unrelated key', async () => {
    const bytes = randomBytes(CHUNK + 1);
    const p = fileOf('recipe.jpg', bytes);
    const [m1, m2, m3] = [await mem(), await mem('AMBER'), await mem('GREEN', {}, 'shared:family')];
    const a1 = (await t.c('attachment.add', { memory_id: m1, path: p, name: 'recipe.jpg', mime: 'image/jpeg' })).attachment;
    const rows = chunkRows(t);
    const a2 = (await t.c('attachment.add', { memory_id: m2, data_base64: bytes.toString('base64'), name: 'same-recipe.jpg', mime: 'image/jpeg' })).attachment;
    expect(chunkRows(t)).toBe(rows);
    expect(blobOf(t, a2.attachment_id)).toBe(blobOf(t, a1.attachment_id));
    expect(a2.name).toBe('same-recipe.jpg');
    // a stream cannot be hashed first: it is sealed, found to be the same bytes, and the new copy dropped
    const viaStream = await addAttachment(t.app.ctx, t.app.ctx.keyring!.memberId, { memory_id: m1, source: Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), name: 'again.jpg', mime: 'image/jpeg' });
    expect(blobOf(t, viaStream.attachment_id)).toBe(blobOf(t, a1.attachment_id));
    expect(chunkRows(t)).toBe(rows);
    expect(t.app.ctx.db.prepare('SELECT COUNT(*) AS n FROM attachment_blobs WHERE complete = 0').get()).toEqual({ n: 0 });
    const a3 = (await t.c('attachment.add', { memory_id: m3, path: p, name: 'recipe.jpg', mime: 'image/jpeg' })).attachment;
    expect(chunkRows(t)).toBe(rows + 2);
    const keys = t.app.ctx.db.prepare('SELECT dedupe_key FROM attachment_blobs WHERE blob_id IN (?, ?)').all(blobOf(t, a1.attachment_id), blobOf(t, a3.attachment_id)) as { dedupe_key: Buffer }[];
    expect(keys).toHaveLength(2);
    expect(keys[0]!.dedupe_key.equals(keys[1]!.dedupe_key)).toBe(false);
    for (const k of keys) expect(k.dedupe_key.equals(Buffer.from(sha(bytes), 'hex'))).toBe(false);
    for (const a of [a1, a2, a3]) expect(sha(Buffer.from((await t.c('attachment.get', { attachment_id: a.attachment_id })).data_base64, 'base64'))).toBe(sha(bytes));
  }, 60_000);

  it('over the size setting: INVALID_INPUT in words with TOO_LARGE, and nothing is kept', async () => {
    const id = await mem();
    await t.c('settings.set', { settings: { attachment_max_bytes: 1000 } });
    try {
      const before = chunkRows(t);
      const big = randomBytes(1500);
      const byPath = t.c('attachment.add', { memory_id: id, path: fileOf('big.bin', big), name: 'big.bin', mime: 'application/octet-stream' });
      await expect(byPath).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'TOO_LARGE', size: 1500, max_bytes: 1000 } });
      await expect(byPath).rejects.toThrow(/This file is .*; files up to .* can be kept with a memory/);
      await expect(t.c('attachment.add', { memory_id: id, data_base64: big.toString('base64'), name: 'big.bin', mime: 'application/octet-stream' }))
        .rejects.toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'TOO_LARGE', max_bytes: 1000 } });
      expect(chunkRows(t)).toBe(before);
      expect((await t.c('attachment.list', { memory_id: id })).attachments).toEqual([]);
      expect((await t.c('settings.get')).settings.attachment_max_bytes).toBe(1000);
    } finally {
      await t.c('settings.set', { settings: { attachment_max_bytes: 256 * 1024 * 1024 } });
    }
    await expect(t.c('attachment.add', { memory_id: id, path: 'relative/file.txt', name: 'f.txt', mime: 'text/plain' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(t.c('attachment.add', { memory_id: id, path: join(scratch.dir, 'not-there.txt'), name: 'f.txt', mime: 'text/plain' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.c('attachment.add', { memory_id: id, data_base64: 'not base64!', name: 'f.txt', mime: 'text/plain' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(t.c('attachment.add', { memory_id: id, data_base64: 'aGk=', name: '../etc/passwd', mime: 'text/plain' })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'name' } });
  }, 60_000);

  it('a RED memory\'s file opens for its author and recipient only; a member who is not a recipient gets FORBIDDEN', async () => {
    const ids: Record<string, string> = {};
    for (const n of ['Ben', 'Cleo']) {
      ids[n] = (await t.c('member.create', { name: n })).member.member_id;
      await t.c('space.addMember', { space_id: 'shared:family', member_id: ids[n], role: 'adult' });
    }
    const red = await mem('RED', { recipients: [ids.Ben] }, 'shared:family');
    const secret = randomBytes(3000);
    const a = (await t.c('attachment.add', { memory_id: red, data_base64: secret.toString('base64'), name: 'diagnosis.pdf', mime: 'application/pdf' })).attachment;
    // the recipient opens it
    expect(sha(Buffer.from((await t.c('attachment.get', { attachment_id: a.attachment_id }, ids.Ben)).data_base64, 'base64'))).toBe(sha(secret));
    // the other adult does not: not its bytes, not its name
    await expect(t.c('attachment.get', { attachment_id: a.attachment_id }, ids.Cleo)).rejects.toMatchObject({ code: 'FORBIDDEN', details: { reasons: [{ code: 'RED_NOT_RECIPIENT' }] } });
    await expect(t.c('attachment.get', { attachment_id: a.attachment_id, out: join(scratch.dir, 'stolen.pdf') }, ids.Cleo)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(() => statSync(join(scratch.dir, 'stolen.pdf'))).toThrow();
    await expect(t.c('attachment.list', { memory_id: red }, ids.Cleo)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.c('attachment.delete', { attachment_id: a.attachment_id }, ids.Cleo)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.c('attachment.add', { memory_id: red, data_base64: 'aGk=', name: 'mine.txt', mime: 'text/plain' }, ids.Cleo)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // the same bytes added by the non-recipient to a memory of their own are a copy of their own, not the recipient's key
    const own = await mem('GREEN', {}, 'shared:family', ids.Cleo);
    const mine = (await t.c('attachment.add', { memory_id: own, data_base64: secret.toString('base64'), name: 'copy.pdf', mime: 'application/pdf' }, ids.Cleo)).attachment;
    expect(blobOf(t, mine.attachment_id)).not.toBe(blobOf(t, a.attachment_id));
    // opening a RED memory's file is audited
    const audit = (await t.c('audit.list', { limit: 20 })).entries as { topic: string }[];
    expect(audit.some((e) => e.topic.startsWith('RECALL_REQUEST'))).toBe(true);
  }, 60_000);

  it('attachment.delete drops the chunks unless another file in the space holds the same bytes', async () => {
    const bytes = randomBytes(CHUNK * 2);
    const [m1, m2] = [await mem(), await mem()];
    const a1 = (await t.c('attachment.add', { memory_id: m1, data_base64: bytes.toString('base64'), name: 'a.bin', mime: 'application/octet-stream' })).attachment;
    const a2 = (await t.c('attachment.add', { memory_id: m2, data_base64: bytes.toString('base64'), name: 'b.bin', mime: 'application/octet-stream' })).attachment;
    const blob = blobOf(t, a1.attachment_id);
    expect(await t.c('attachment.delete', { attachment_id: a1.attachment_id })).toEqual({ attachment_id: a1.attachment_id, chunks_deleted: false });
    expect(chunkRows(t, blob)).toBe(2);
    expect(sha(Buffer.from((await t.c('attachment.get', { attachment_id: a2.attachment_id })).data_base64, 'base64'))).toBe(sha(bytes));
    await expect(t.c('attachment.get', { attachment_id: a1.attachment_id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const cts = chunkCiphertexts(t, blob);
    expect(await t.c('attachment.delete', { attachment_id: a2.attachment_id })).toEqual({ attachment_id: a2.attachment_id, chunks_deleted: true });
    expect(chunkRows(t, blob)).toBe(0);
    expect(t.app.ctx.db.prepare('SELECT COUNT(*) AS n FROM attachment_blobs WHERE blob_id = ?').get(blob)).toEqual({ n: 0 });
    // secure_delete and the checkpoint: no 24-byte fragment of the chunks' ciphertext in any page
    const copy = decryptedPages(t.dir, PASS);
    for (const ct of cts) for (let i = 0; i + 24 <= ct.length; i += 4096) expect(copy.includes(ct.subarray(i, i + 24))).toBe(false);
  }, 60_000);

  it('a shared memory\'s copy carries its files, re-encrypted into the target space; erasing the original leaves them whole', async () => {
    const bytes = randomBytes(2 * CHUNK + 10);
    const src = await mem();
    await t.c('attachment.add', { memory_id: src, data_base64: bytes.toString('base64'), name: 'map.png', mime: 'image/png' });
    const shared = await t.c('memory.share', { memory_id: src, target_space_id: 'shared:family', consent: true });
    expect(shared.status).toBe('shared');
    const [copy] = (await t.c('attachment.list', { memory_id: shared.memory_id })).attachments;
    expect(copy).toMatchObject({ memory_id: shared.memory_id, space_id: 'shared:family', name: 'map.png', mime: 'image/png', size: bytes.length, sha256: sha(bytes), available: true });
    const [orig] = (await t.c('attachment.list', { memory_id: src })).attachments;
    expect(blobOf(t, copy.attachment_id)).not.toBe(blobOf(t, orig.attachment_id));
    expect(t.app.ctx.db.prepare('SELECT space_id FROM attachment_blobs WHERE blob_id = ?').get(blobOf(t, copy.attachment_id))).toEqual({ space_id: 'shared:family' });
    await t.c('privacy.erase', { memory_ids: [src], confirm: true });
    expect(sha(Buffer.from((await t.c('attachment.get', { attachment_id: copy.attachment_id })).data_base64, 'base64'))).toBe(sha(bytes));
  }, 60_000);

  it('erasing a memory (privacy.erase, BLACK shred) removes every chunk of its files, and nothing of them is left in any file', async () => {
    const bytes = randomBytes(CHUNK + 99);
    const shared = randomBytes(2000);
    const [gone, stays] = [await mem('AMBER'), await mem()];
    const a = (await t.c('attachment.add', { memory_id: gone, path: fileOf('erase-me.bin', bytes), name: 'erase-me.bin', mime: 'application/octet-stream' })).attachment;
    await t.c('attachment.add', { memory_id: gone, data_base64: shared.toString('base64'), name: 'shared.bin', mime: 'application/octet-stream' });
    const kept = (await t.c('attachment.add', { memory_id: stays, data_base64: shared.toString('base64'), name: 'shared.bin', mime: 'application/octet-stream' })).attachment;
    const blob = blobOf(t, a.attachment_id);
    const cts = chunkCiphertexts(t, blob);
    expect(cts).toHaveLength(2);
    expect((await t.c('privacy.erase', { memory_ids: [gone], confirm: true })).erased).toEqual([gone]);
    expect(chunkRows(t, blob)).toBe(0);
    expect(t.app.ctx.db.prepare('SELECT COUNT(*) AS n FROM attachments WHERE memory_id = ?').get(gone)).toEqual({ n: 0 });
    // the file another memory shares is still whole
    expect(sha(Buffer.from((await t.c('attachment.get', { attachment_id: kept.attachment_id })).data_base64, 'base64'))).toBe(sha(shared));
    const copy = decryptedPages(t.dir, PASS);
    for (const ct of cts) for (let i = 0; i + 24 <= ct.length; i += 4096) expect(copy.includes(ct.subarray(i, i + 24))).toBe(false);
    for (const f of filesUnder(t.dir)) expect(holdsRunOf(readFileSync(f), bytes), f).toBe(false);

    const black = await mem('BLACK');
    const b = (await t.c('attachment.add', { memory_id: black, data_base64: randomBytes(5000).toString('base64'), name: 'local.bin', mime: 'application/octet-stream' })).attachment;
    const blackBlob = blobOf(t, b.attachment_id);
    expect((await t.c('memory.delete', { memory_id: black, confirm: true })).status).toBe('shredded');
    expect(chunkRows(t, blackBlob)).toBe(0);
    await expect(t.c('attachment.get', { attachment_id: b.attachment_id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 60_000);
});

describe('trash retention erases files too', () => {
  it('a trashed memory past the retention is erased by the scheduler with its chunks', async () => {
    const clock = new TestClock();
    const t = await openTestApp({ clock });
    try {
      await t.c('settings.set', { settings: { trash_retention_days: 1, auto_lock_minutes: 0 } });
      const id = (await t.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'old', body: 'x' })).memory.memory_id;
      const a = (await t.c('attachment.add', { memory_id: id, data_base64: randomBytes(CHUNK + 5).toString('base64'), name: 'old.bin', mime: 'application/octet-stream' })).attachment;
      await t.c('memory.delete', { memory_id: id });
      // a file of a trashed memory still opens (restore brings it back), but none is added
      await expect(t.c('attachment.add', { memory_id: id, data_base64: 'aGk=', name: 'late.txt', mime: 'text/plain' })).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await t.c('attachment.get', { attachment_id: a.attachment_id })).attachment.size).toBe(CHUNK + 5);
      expect(chunkRows(t)).toBe(2);
      clock.advance(2 * 24 * 3600_000);
      t.app.tick();
      await expect(t.c('memory.get', { memory_id: id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(chunkRows(t)).toBe(0);
      expect(t.app.ctx.db.prepare('SELECT COUNT(*) AS n FROM attachments').get()).toEqual({ n: 0 });
    } finally { await t.close(); }
  }, 60_000);
});
