import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, PASS } from '../helpers/app';
import { tempDir } from '../helpers/tmp';

/**
 * Backup and restore (issue 12, item 1, and the acceptance line "export a vault …, import the
 * archive into a fresh vault: the same memories, the same text, the same files (SHA-256 equal)"):
 * a real privacy.export of one vault, plain and encrypted, imported with import.run into a second,
 * fresh vault. The archive is verified before anything is read: a copy with one byte changed
 * imports nothing.
 */
type T = Awaited<ReturnType<typeof openTestApp>>;

async function wait(t: T, job: any): Promise<any> {
  while (!['done', 'failed', 'cancelled'].includes(job.status)) {
    await new Promise((r) => setTimeout(r, 20));
    job = (await t.c('job.get', { job_id: job.job_id })).job;
  }
  return job;
}
const run = async (t: T, method: string, params: unknown) => wait(t, (await t.c(method, params)).job);

/** every memory of a space, whole (memory.get), keyed by title */
async function memories(t: T, space: string): Promise<Map<string, any>> {
  const out = new Map<string, any>();
  for (const m of (await t.c('memory.list', { space_id: space, limit: 200 })).memories) {
    out.set(m.title, (await t.c('memory.get', { memory_id: m.memory_id })).memory);
  }
  return out;
}
const SAME = ['title', 'body', 'tags', 'people', 'places', 'occurred_at', 'band', 'type', 'created_at', 'updated_at'] as const;
const pick = (m: any) => Object.fromEntries(SAME.map((k) => [k, m[k]]));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** a memory's files by SHA-256 (their bytes read back through attachment.get), and its text with each link naming the file's hash instead of its id */
async function files(t: T, m: any): Promise<{ bySha: Map<string, { name: string; mime: string; size: number }>; body: string }> {
  const list = (await t.c('attachment.list', { memory_id: m.memory_id })).attachments as any[];
  const bySha = new Map<string, { name: string; mime: string; size: number }>();
  let body = m.body as string;
  for (const a of list) {
    const bytes = Buffer.from((await t.c('attachment.get', { attachment_id: a.attachment_id })).data_base64, 'base64');
    expect(sha(bytes)).toBe(a.sha256);
    bySha.set(a.sha256, { name: a.name, mime: a.mime, size: a.size });
    body = body.replaceAll(`attachment:${a.attachment_id}`, `attachment:${a.sha256}`);
  }
  return { bySha, body };
}

describe('export → import into a fresh vault', () => {
  let a: T;
  const { dir: work, cleanup } = tempDir('memoryos-roundtrip-');
  const plain = join(work, 'backup.zip');
  const sealed = join(work, 'backup-encrypted.zip');
  let original: Map<string, any>;

  beforeAll(async () => {
    a = await openTestApp();
    const add = (band: string, title: string, extra: Record<string, unknown> = {}) =>
      a.c('memory.create', { space_id: 'personal:me', type: 'episodic', band, title, body: `${title}\n\nLine two, with *Markdown* and ünïcödé ✓.`, tags: [`tag-${band.toLowerCase()}`, 'family'], people: ['Leo'], places: ['Lisbon'], ...extra });
    await add('GREEN', 'Green picnic', { occurred_at: '2024-05-12T12:00:00.000Z' });
    await add('AMBER', 'Amber allergy note');
    await add('RED', 'Red diagnosis');
    await add('BLACK', 'Black diary');
    await a.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'Semantic fact', body: 'the boiler code is in the drawer', tags: [] });
    // edited after it was written: its updated_at differs from created_at and must come back as it was
    const edited = (await a.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'Edited later', body: 'first' })).memory;
    await new Promise((r) => setTimeout(r, 15));
    await a.c('memory.update', { memory_id: edited.memory_id, patch: { body: 'second version' } });
    // a memory with files, linked from its text as the editor links them (one over several chunks)
    const withFiles = (await a.c('memory.create', { space_id: 'personal:me', type: 'episodic', band: 'AMBER', title: 'Vaccination card', body: 'draft' })).memory;
    const photo = (await a.c('attachment.add', { memory_id: withFiles.memory_id, data_base64: randomBytes(700_000).toString('base64'), name: 'card.png', mime: 'image/png' })).attachment;
    const pdf = (await a.c('attachment.add', { memory_id: withFiles.memory_id, data_base64: Buffer.from('%PDF-1.4 policy').toString('base64'), name: 'policy.pdf', mime: 'application/pdf' })).attachment;
    await a.c('memory.update', { memory_id: withFiles.memory_id, patch: { body: `The card:\n\n![card.png](attachment:${photo.attachment_id})\n\nAnd [policy.pdf](attachment:${pdf.attachment_id}).` } });
    const trashed = (await a.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'Trashed one', body: 'gone' })).memory;
    await a.c('memory.delete', { memory_id: trashed.memory_id });
    original = await memories(a, 'personal:me');
    expect(original.size).toBe(7);

    const e1 = await run(a, 'privacy.export', { out: plain, include_black: true, reauth: { passphrase: PASS } });
    expect(e1.status, JSON.stringify(e1.error)).toBe('done');
    const e2 = await run(a, 'privacy.export', { out: sealed, include_black: true, reauth: { passphrase: PASS }, encrypt: { passphrase: 'export passphrase 42' } });
    expect(e2.status, JSON.stringify(e2.error)).toBe('done');
  }, 120_000);
  afterAll(async () => { await a?.close(); cleanup(); });

  for (const kind of ['plain', 'encrypted'] as const) {
    it(`${kind}: the fresh vault gets the same memories — title, text, tags, people, places, dates, band (BLACK stays BLACK), type, files (SHA-256 equal, linked from the text); the trashed one is left out; a second run skips all`, async () => {
      const b = await openTestApp();
      try {
        const path = kind === 'plain' ? plain : sealed;
        const params = { path, space_id: 'personal:me', ...(kind === 'encrypted' ? { passphrase: 'export passphrase 42' } : {}) };
        const job = await run(b, 'import.run', params);
        expect(job.status, JSON.stringify(job.error)).toBe('done');
        expect(job.result.warnings).toEqual([{ path: expect.stringMatching(/^memories\//), warning: 'in the source\'s trash: not imported' }]);
        expect(job.result).toMatchObject({ format: 'memoryos', imported: 7, skipped_duplicates: 0, skipped_trashed: 1, failed_count: 0, warnings_count: 1 });
        expect(job.result.verified).toMatchObject({ encrypted: kind === 'encrypted', signing_device_id: a.app.ctx.keyring!.deviceId });
        const restored = await memories(b, 'personal:me');
        expect([...restored.keys()].sort()).toEqual([...original.keys()].sort());
        for (const [title, m] of original) {
          const back = restored.get(title);
          // the files come back byte for byte, and the text links the new copies where it linked the old
          const was = await files(a, m);
          const now = await files(b, back);
          expect(now.bySha, title).toEqual(was.bySha);
          expect({ ...pick(back), body: now.body }, title).toEqual({ ...pick(m), body: was.body });
        }
        expect((await files(b, restored.get('Vaccination card'))).bySha.size).toBe(2);
        // a BLACK memory is written to the local log only, as one written here would be
        const black = restored.get('Black diary');
        const row = b.app.ctx.db.prepare('SELECT COUNT(*) AS n FROM sync_log WHERE doc_id = ?').get(black.memory_id) as { n: number };
        expect(row.n).toBe(0);
        const local = b.app.ctx.db.prepare('SELECT COUNT(*) AS n FROM local_log WHERE doc_id = ?').get(black.memory_id) as { n: number };
        expect(local.n).toBeGreaterThan(0);

        const again = await run(b, 'import.run', params);
        expect(again.result).toMatchObject({ imported: 0, skipped_duplicates: 7 });
      } finally {
        await b.close();
      }
    }, 120_000);
  }

  it('a dry run verifies and reads the archive and writes nothing; band raises lower bands to it and never lowers one (BLACK stays BLACK)', async () => {
    const b = await openTestApp();
    try {
      const dry = await run(b, 'import.run', { path: plain, space_id: 'personal:me', dry_run: true });
      expect(dry.result).toMatchObject({ dry_run: true, imported: 7, skipped_trashed: 1, verified: { encrypted: false } });
      expect((await b.c('memory.list', { space_id: 'personal:me' })).memories).toHaveLength(0);
      const job = await run(b, 'import.run', { path: plain, space_id: 'personal:me', band: 'AMBER' });
      expect(job.result.imported).toBe(7);
      const bands = Object.fromEntries([...(await memories(b, 'personal:me'))].map(([title, m]) => [title, m.band]));
      expect(bands).toEqual({
        'Green picnic': 'AMBER', 'Semantic fact': 'AMBER', 'Edited later': 'AMBER', 'Amber allergy note': 'AMBER',
        'Vaccination card': 'AMBER', 'Red diagnosis': 'RED', 'Black diary': 'BLACK',
      });
    } finally {
      await b.close();
    }
  }, 120_000);

  it('an encrypted export without its passphrase, or with a wrong one, is refused and imports nothing', async () => {
    const b = await openTestApp();
    try {
      const none = await run(b, 'import.run', { path: sealed, space_id: 'personal:me' });
      expect(none).toMatchObject({ status: 'failed', error: { code: 'INVALID_INPUT' } });
      const wrong = await run(b, 'import.run', { path: sealed, space_id: 'personal:me', passphrase: 'not the passphrase' });
      expect(wrong).toMatchObject({ status: 'failed', error: { code: 'BAD_CREDENTIALS' } });
      expect((await b.c('memory.list', { space_id: 'personal:me' })).memories).toHaveLength(0);
    } finally {
      await b.close();
    }
  }, 120_000);

  it('an archive with one byte of one memory changed does not verify: the job fails and nothing is imported', async () => {
    const bytes = readFileSync(plain);
    const at = bytes.indexOf(Buffer.from('"title": "Green picnic"'));
    expect(at).toBeGreaterThan(0); // memories are stored, not deflated: the text is in the file as written
    bytes[at + 11] ^= 0x01;
    const tampered = join(work, 'tampered.zip');
    writeFileSync(tampered, bytes);
    const b = await openTestApp();
    try {
      const job = await run(b, 'import.run', { path: tampered, space_id: 'personal:me' });
      expect(job.status).toBe('failed');
      expect(job.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/did not verify \(sha256_mismatch\)/) });
      expect((await b.c('memory.list', { space_id: 'personal:me' })).memories).toHaveLength(0);
    } finally {
      await b.close();
    }
  }, 120_000);
});
