import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../../core/attachments/chunking';
import { openTestApp } from '../helpers/app';
import { ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/**
 * Issue 12: a person's export (privacy.export) holds the files of their memories, decrypted,
 * under attachments/<memory_id>/, each listed in the memory's JSON and in the signed manifest
 * with its size and SHA-256 — read back here by Python's zipfile and hashlib, and by the
 * independent checker (tests/helpers/check-export.py), none of the project's code.
 */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** every entry of a ZIP with its size and SHA-256, and the parsed JSON of the ones named */
function readZip(zip: string): { entries: Record<string, { size: number; sha256: string }>; json: Record<string, any> } {
  const py = `
import sys, zipfile, hashlib, json
z = zipfile.ZipFile(sys.argv[1])
out = {"entries": {}, "json": {}}
for i in z.infolist():
    h = hashlib.sha256(); n = 0
    with z.open(i) as f:
        while True:
            b = f.read(1 << 20)
            if not b: break
            h.update(b); n += len(b)
    out["entries"][i.filename] = {"size": n, "sha256": h.hexdigest()}
    if i.filename.endswith(".json"): out["json"][i.filename] = json.loads(z.read(i))
print(json.dumps(out))
`;
  const r = spawnSync(PYTHON, ['-c', py, zip], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe('attachments in the GDPR export', () => {
  let t: Awaited<ReturnType<typeof openTestApp>>;
  let scratch: ReturnType<typeof tempDir>;
  beforeAll(async () => { t = await openTestApp(); scratch = tempDir('memoryos-attachments-export-'); }, 60_000);
  afterAll(async () => { await t?.close(); scratch?.cleanup(); });

  async function exportTo(name: string): Promise<string> {
    const out = join(scratch.dir, name);
    let job = (await t.c('privacy.export', { out })).job;
    for (let i = 0; i < 600 && !['done', 'failed', 'cancelled'].includes(job.status); i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await t.c('job.get', { job_id: job.job_id })).job;
    }
    expect(job, JSON.stringify(job.error)).toMatchObject({ status: 'done' });
    return out;
  }

  it('each file of an exported memory is in the archive, decrypted, with the size and SHA-256 the memory\'s JSON and the signed manifest give', async () => {
    const photo = randomBytes(3 * CHUNK_SIZE + 1000); // four chunks
    const note = Buffer.from('pick up the passports on Friday');
    const other = Buffer.from('a second file of the same name');
    const secret = randomBytes(70_000);
    const m = (await t.c('memory.create', { space_id: 'personal:me', type: 'episodic', band: 'GREEN', title: 'Trip', body: 'photos' })).memory.memory_id;
    const red = (await t.c('memory.create', { space_id: 'personal:me', type: 'semantic', band: 'RED', title: 'Results', body: 'r' })).memory.memory_id;
    const p = join(scratch.dir, 'beach.jpg');
    writeFileSync(p, photo);
    await t.c('attachment.add', { memory_id: m, path: p, name: 'beach.jpg', mime: 'image/jpeg' });
    await t.c('attachment.add', { memory_id: m, data_base64: note.toString('base64'), name: 'todo: trip?.txt', mime: 'text/plain; charset=utf-8' });
    await t.c('attachment.add', { memory_id: m, data_base64: other.toString('base64'), name: 'todo: trip?.txt', mime: 'text/plain' });
    await t.c('attachment.add', { memory_id: red, data_base64: secret.toString('base64'), name: 'lab.pdf', mime: 'application/pdf' });

    const zip = await exportTo('with-files.zip');
    const { entries, json } = readZip(zip);
    const rec = json[`memories/${m}.json`];
    expect(rec.attachments).toEqual([
      { name: 'beach.jpg', mime: 'image/jpeg', size: photo.length, sha256: sha(photo), path: `attachments/${m}/beach.jpg` },
      { name: 'todo: trip?.txt', mime: 'text/plain', size: note.length, sha256: sha(note), path: `attachments/${m}/todo_ trip_.txt` },
      { name: 'todo: trip?.txt', mime: 'text/plain', size: other.length, sha256: sha(other), path: `attachments/${m}/todo_ trip_ (2).txt` },
    ]);
    expect(json[`memories/${red}.json`].attachments).toEqual([{ name: 'lab.pdf', mime: 'application/pdf', size: secret.length, sha256: sha(secret), path: `attachments/${red}/lab.pdf` }]);
    const manifest = json['manifest.json'];
    const listed = new Map((manifest.files as { path: string; size: number; sha256: string }[]).map((f) => [f.path, f]));
    for (const a of [...rec.attachments, ...json[`memories/${red}.json`].attachments]) {
      // the bytes in the archive are the file's, and the manifest says so
      expect(entries[a.path]).toEqual({ size: a.size, sha256: a.sha256 });
      expect(listed.get(a.path)).toEqual({ path: a.path, size: a.size, sha256: a.sha256 });
    }
    expect(manifest.counts.attachments).toBe(4);

    // the archive still verifies: our verifier, and the independent checker with the device's key
    let v = (await t.c('privacy.verifyExport', { path: zip })).job;
    for (let i = 0; i < 600 && !['done', 'failed'].includes(v.status); i++) { await new Promise((r) => setTimeout(r, 50)); v = (await t.c('job.get', { job_id: v.job_id })).job; }
    expect(v).toMatchObject({ status: 'done', result: { valid: true } });
    const key = (await t.c('device.list')).devices.find((d: any) => d.this_device).ed25519_public_key;
    const c = spawnSync(PYTHON, [join(ROOT, 'tests', 'helpers', 'check-export.py'), zip, key], { encoding: 'utf8', timeout: 60_000 });
    expect(c.status, c.stdout + c.stderr).toBe(0);
  }, 120_000);

  it('a file whose chunks have not arrived from another device yet is counted, not listed, and the export still completes', async () => {
    const m = (await t.c('memory.create', { space_id: 'personal:me', type: 'episodic', band: 'GREEN', title: 'Half here', body: 'x' })).memory.memory_id;
    const here = (await t.c('attachment.add', { memory_id: m, data_base64: Buffer.from('here').toString('base64'), name: 'here.txt', mime: 'text/plain' })).attachment;
    const away = (await t.c('attachment.add', { memory_id: m, data_base64: Buffer.from('still on the way').toString('base64'), name: 'away.txt', mime: 'text/plain' })).attachment;
    // as a file looks on a device that learned of it from a peer and has not fetched its chunks yet
    const blob = (t.app.ctx.db.prepare('SELECT blob_id FROM attachments WHERE attachment_id = ?').get(away.attachment_id) as { blob_id: string }).blob_id;
    t.app.ctx.db.prepare('UPDATE attachment_blobs SET complete = 0 WHERE blob_id = ?').run(blob);
    t.app.ctx.db.prepare('DELETE FROM attachment_chunks WHERE blob_id = ?').run(blob);
    const { json } = readZip(await exportTo('half.zip'));
    expect(json[`memories/${m}.json`].attachments.map((a: any) => a.name)).toEqual([here.name]);
    expect(json['manifest.json'].counts.attachments_not_on_this_device).toBe(1);
  }, 120_000);

  it('a file another member added to their own memory is not in my export', async () => {
    const leo = (await t.c('member.create', { name: 'Leo' })).member.member_id;
    await t.c('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    await t.c('space.addMember', { space_id: 'shared:family', member_id: leo, role: 'adult' });
    const his = (await t.c('memory.create', { space_id: 'shared:family', type: 'semantic', band: 'GREEN', title: 'Leo\'s', body: 'x' }, leo)).memory.memory_id;
    await t.c('attachment.add', { memory_id: his, data_base64: Buffer.from('leo only').toString('base64'), name: 'leo.txt', mime: 'text/plain' }, leo);
    const { entries } = readZip(await exportTo('mine-only.zip'));
    expect(Object.keys(entries).filter((e) => e.startsWith(`attachments/${his}/`))).toEqual([]);
  }, 120_000);
});
