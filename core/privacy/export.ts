import { existsSync, mkdirSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { Readable } from 'node:stream';
import { exportFilesFor } from '../attachments/export-files';
import type { Job } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { b64, sign } from '../crypto/sodium';
import { emit } from '../events/emit';
import { JobCancelled, startJob, type JobHandle } from '../jobs/jobs';
import { WORKING_DEFAULT_TTL_MS } from '../memories/memories';
import { getMember } from '../members/members';
import { policyDocument } from '../policy/policy-document';
import { ApiError, invalid } from '../shared/errors';
import { iso } from '../shared/time';
import { APP_VERSION } from '../shared/version';
import { getSettings } from '../settings/settings';
import { checkPassphrase } from '../vault/vault';
import {
  exportMemoryJson, memoryJsonPath, memoryMarkdown, memoryMarkdownPath, openArchive, readmeBytes, writeManifest,
  type ReadmeParams,
} from './archive';
import {
  memoryRowCount, newTally, subjectAudit, subjectDevices, subjectMembers, subjectMemories, subjectSettings, subjectSpaces,
  type ExportTally, type SpaceExport,
} from './export-contents';
import { authorizeForSubject } from './subject';

export interface ExportRequest {
  out?: string; subject?: string; include_black?: boolean;
  reauth?: { passphrase: string }; encrypt?: { passphrase: string };
}

/** Where exports go unless the person names a path: inside the data directory, readable by its owner only. */
export const exportsDir = (ctx: Pick<Ctx, 'dataDir'>): string => join(ctx.dataDir, 'exports');

/** An absolute path, or a bare file name inside exports/ (no way out of it with '..' or a separator). */
export function exportFilePath(ctx: Pick<Ctx, 'dataDir'>, name: string, field: string): string {
  if (isAbsolute(name)) return name;
  if (basename(name) !== name || name === '.' || name === '..') throw invalid(`${field} is an absolute path or a file name`, { fields: [field] });
  return join(exportsDir(ctx), name);
}

function outPath(ctx: Ctx, out: string | undefined, subjectName: string, now: number): string {
  const slug = subjectName.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'member';
  const path = exportFilePath(ctx, out ?? `memoryos-export-${slug}-${iso(now).slice(0, 10)}-${now.toString(36)}.zip`, 'out');
  if (!isAbsolute(out ?? '')) mkdirSync(exportsDir(ctx), { recursive: true, mode: 0o700 });
  if (existsSync(path)) throw new ApiError('CONFLICT', 'a file of that name exists: an export never replaces a file', { path });
  return path;
}

/**
 * privacy.export: decided and checked at the call (who, BLACK with re-authentication, where),
 * then written by a job. The job's parameters keep no passphrase.
 */
export function startExport(ctx: Ctx, actor: string, p: ExportRequest): Job {
  const subject = p.subject ?? actor;
  let reauthed = false;
  if (p.reauth) {
    if (!checkPassphrase(ctx, p.reauth.passphrase)) throw new ApiError('BAD_CREDENTIALS', 'wrong passphrase');
    reauthed = true;
  }
  const includeBlack = p.include_black === true;
  authorizeForSubject(ctx, actor, subject, 'privacy.export', { include_black: includeBlack, reauth: reauthed });
  const member = getMember(ctx, subject);
  const path = outPath(ctx, p.out, member.name, ctx.clock.now());
  const encrypt = p.encrypt ? { passphrase: p.encrypt.passphrase } : undefined;
  return startJob(ctx, 'export', actor, { subject, include_black: includeBlack, encrypted: !!encrypt, path }, (job) =>
    writeExport(ctx, job, { subject: { member_id: subject, name: member.name }, includeBlack, path, encrypt }));
}

interface WriteParams { subject: { member_id: string; name: string }; includeBlack: boolean; path: string; encrypt?: { passphrase: string } }

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v, null, 2) + '\n', 'utf8');
const PROGRESS_EVERY = 256;
const STORED = { compress: false } as const;

async function writeExport(ctx: Ctx, job: JobHandle, p: WriteParams): Promise<Record<string, unknown>> {
  const k = keys(ctx);
  const generatedAt = iso(ctx.clock.now());
  const w = openArchive(p.path, { encrypt: p.encrypt, mtime: new Date(ctx.clock.now()) });
  job.output(w.partialPath);
  try {
    const spaces = subjectSpaces(ctx, p.subject.member_id);
    const tally = newTally();
    const total = memoryRowCount(ctx) + 7;
    let done = 0;
    for (const m of subjectMemories(ctx, { subject: p.subject.member_id, includeBlack: p.includeBlack }, new Map(spaces.map((s) => [s.space_id, s.name])), tally)) {
      if (m) {
        // stored, not deflated: zlib's setup per small entry costs more than the bytes it saves
        // (2× the export's time at 100k memories); the encrypted form is the one to protect
        await w.addFile(memoryJsonPath(m.memory_id), exportMemoryJson(m), STORED);
        await w.addFile(memoryMarkdownPath(m.memory_id), memoryMarkdown(m), STORED);
        // its files, decrypted, each streamed a chunk at a time (stored: photos and PDFs are compressed already)
        if (m.attachments.length) for (const f of exportFilesFor(ctx, m.memory_id, p.subject.member_id)) await w.addFile(f.record.path, Readable.from(f.bytes()), STORED);
      }
      if (++done % PROGRESS_EVERY === 0) {
        if (job.cancelled) throw new JobCancelled();
        job.progress(done, total);
        if (!m) await new Promise((r) => setImmediate(r)); // a long run of others' memories still lets other calls in
      }
    }
    const members = subjectMembers(ctx, p.subject.member_id, spaces);
    const devices = subjectDevices(ctx, p.subject.member_id);
    await w.addFile('spaces.json', json(spaces));
    await w.addFile('members.json', json(members));
    await w.addFile('devices.json', json(devices));
    await w.addFile('settings.json', json(subjectSettings(ctx, p.subject.member_id)));
    await w.addFile('audit.json', Readable.from(jsonArray(subjectAudit(ctx, p.subject.member_id))));
    await w.addFile('README.md', readmeBytes(readmeParams(ctx, p, generatedAt, spaces, members, tally)));
    job.progress(total - 1, total);
    const counts = countsOf(tally, p.includeBlack, members.length, devices.length, spaces.length);
    const { compactSha256: manifestSha } = await writeManifest(w, {
      subject: p.subject, generated_at: generatedAt, policy_version: policyDocument().policy_version,
      signing_device: { device_id: k.deviceId, public_key: k.deviceSign.publicKey }, counts,
    }, (bytes) => sign(bytes, k.deviceSign.privateKey));
    const finished = await w.finish();
    job.output(finished.path); // until the job is recorded done, a crash removes the file
    ctx.uow.run(() => emit(ctx, {
      topic: 'DSAR_EXPORT', payload: { job_id: job.job_id, file_count: finished.count }, actor: { member_id: p.subject.member_id, caps: [] }, audit: true,
    }));
    job.progress(total, total);
    return {
      path: finished.path, bytes: finished.bytes, files: finished.count, memories: tally.exported, encrypted: !!p.encrypt,
      manifest_sha256: manifestSha, signing_device_id: k.deviceId, signing_public_key: b64(k.deviceSign.publicKey),
    };
  } catch (e) {
    await w.abort(e instanceof Error ? e : undefined);
    throw e;
  }
}

/** A JSON array streamed item by item (the subject's audit entries can be many). */
function* jsonArray(items: Iterable<unknown>): Generator<string> {
  let first = true;
  yield '[';
  for (const it of items) { yield (first ? '\n  ' : ',\n  ') + JSON.stringify(it); first = false; }
  yield first ? ']\n' : '\n]\n';
}

function countsOf(t: ExportTally, includeBlack: boolean, members: number, devices: number, spaces: number): Record<string, number> {
  let others = 0; let redToSubject = 0; let blackLeftOut = 0; let damaged = 0;
  for (const s of t.spaces.values()) { others += s.by_others; redToSubject += s.red_addressed_to_subject; blackLeftOut += s.black_left_out; damaged += s.damaged; }
  return {
    memories: t.exported, markdown: t.exported, attachments: t.attachments, attachments_not_on_this_device: t.attachments_not_here, green: t.by_band.GREEN, amber: t.by_band.AMBER, red: t.by_band.RED, black: t.by_band.BLACK,
    others_left_out: others, red_addressed_to_subject_left_out: redToSubject, black_left_out: includeBlack ? 0 : blackLeftOut, damaged_left_out: damaged,
    spaces, members, devices,
  };
}

function readmeParams(ctx: Ctx, p: WriteParams, generatedAt: string, spaces: SpaceExport[], members: { member_id: string; name: string }[], t: ExportTally): ReadmeParams {
  const names = new Map(members.map((m) => [m.member_id, m.name]));
  const tallies = [...t.spaces.values()];
  const others = tallies.reduce((n, s) => n + s.by_others, 0);
  const blackLeftOut = tallies.reduce((n, s) => n + s.black_left_out, 0);
  return {
    subject: p.subject, generated_at: generatedAt, app_version: APP_VERSION,
    purposes: [
      'to keep the memories you write, and let you find, read and change them;',
      'to share them with the members of the spaces you put them in, on the devices those members linked, and with no one else;',
      'to protect them: each band decides who may read a memory, whether it may leave this device, and whether a share waits in an undo window;',
      'to keep a signed record of who opened or changed sensitive memories (the audit log), so misuse can be seen.',
    ],
    categories: [
      { name: 'Memories', description: 'what you wrote: title, text, tags, people, places, when it happened, its band and type', count: t.exported },
      { name: 'Spaces and roles', description: 'the spaces you are in, your role in each, and their members', count: spaces.length },
      { name: 'Names', description: 'your name and the names you see for the other members', count: members.length },
      { name: 'Devices', description: 'your linked devices and their public keys', count: subjectDevices(ctx, p.subject.member_id).length },
      { name: 'Settings and consents', description: 'your settings, and the consents you gave when sharing up the space hierarchy' },
      { name: 'Audit entries', description: 'what you did that the audit log records (ids and times, never content)' },
    ],
    recipients: spaces.map((s) => ({
      space_id: s.space_id, name: s.name, kind: s.kind,
      members: s.members.map((m) => ({ name: m.name, role: m.role })),
      devices: s.devices.map((d) => ({ device_id: d.device_id, platform: d.platform, member_name: names.get(d.member_id) ?? null })),
    })),
    retention: {
      trash_days: getSettings(ctx).trash_retention_days,
      working_default_days: WORKING_DEFAULT_TTL_MS / 86_400_000,
      other: ['Memories stay until you delete them; a deleted memory waits in the trash for the days above, then is erased on every device.'],
    },
    sources: ['you entered this data yourself, on your devices, or imported it from files you chose; other members\' names come from them'],
    left_out: {
      others_memories: others,
      by_space: tallies.filter((s) => s.by_others > 0).map((s) => ({ space_name: s.name, count: s.by_others })),
    },
    black: p.includeBlack
      ? { included: true, count: t.by_band.BLACK }
      : { included: false, count: blackLeftOut, reason: 'BLACK memories are exported only on the device that wrote them, when asked for, after the passphrase is entered again' },
    encrypted: !!p.encrypt,
  };
}
