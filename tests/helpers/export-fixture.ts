import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { b64, sign, signKeyPair } from '../../core/crypto/sodium';
import {
  buildManifest, exportMemoryJson, memoryJsonPath, memoryMarkdown, memoryMarkdownPath, openArchive, readmeBytes, signManifest,
  writeManifest, MANIFEST_PATH, SIGNATURE_PATH,
  type ArchiveWriter, type ExportMemory, type FileRecord, type FinishedArchive, type ManifestHead, type ReadmeParams,
} from '../../core/privacy/archive';

/**
 * An export archive written the way the export job will write it, from
 * tests/fixtures/privacy/export-fixture.json: Ana's memories (every band, YAML-hostile titles,
 * a RED memory by Bob sealed to her), the spaces, members, devices, settings and audit files, the
 * README, then the signed manifest. Leo's (the child's) memory is counted and left out.
 */

const ROOT = join(__dirname, '..', '..');
export const CHECKER = join(ROOT, 'tests', 'helpers', 'check-export.py');

export interface ExportFixture {
  subject: { member_id: string; name: string };
  device: { device_id: string };
  memories: ExportMemory[];
  left_out: { memory_id: string; space_id: string; title: string; body: string; author: { member_id: string; name: string } }[];
  spaces: ReadmeParams['recipients'];
  members: { member_id: string; name: string }[];
  settings: Record<string, unknown>;
  audit: Record<string, unknown>[];
}

export const fixture = (): ExportFixture => JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'privacy', 'export-fixture.json'), 'utf8')) as ExportFixture;

export interface TestDevice { device_id: string; publicKey: Uint8Array; privateKey: Uint8Array; publicKeyB64: string }

/** A device key pair (initCrypto() must have run). */
export function testDevice(device_id = fixture().device.device_id): TestDevice {
  const kp = signKeyPair();
  return { device_id, publicKey: kp.publicKey, privateKey: kp.privateKey, publicKeyB64: b64(kp.publicKey) };
}

export function readmeParams(f: ExportFixture, encrypted = false): ReadmeParams {
  const black = f.memories.filter((m) => m.band === 'BLACK').length;
  return {
    subject: f.subject,
    generated_at: '2026-11-25T12:00:00.000Z',
    app_version: '0.1.0',
    purposes: [
      'To keep the memories you write and let you find them again.',
      'To share the memories of a space with its members, and only them, as the bands and roles decide.',
      'To keep your devices in sync and to keep a tamper-evident audit log of who did what.',
    ],
    categories: [
      { name: 'Memories', description: 'what you wrote: titles, text, tags, people and places named, dates, band, space', count: f.memories.length },
      { name: 'Account data', description: 'your name, member id, your devices and their public keys' },
      { name: 'Settings and consents', description: 'your settings and the consents you gave' },
      { name: 'Audit entries', description: 'what your devices did, with when', count: f.audit.length },
    ],
    recipients: f.spaces,
    retention: { trash_days: Number(f.settings.trash_retention_days ?? 30), working_default_days: 7 },
    left_out: { others_memories: f.left_out.length, by_space: [{ space_name: 'Family', count: f.left_out.length }] },
    black: { included: black > 0, count: black },
    encrypted,
  };
}

export interface WriteOptions {
  encrypt?: { passphrase: string };
  /** files listed in the manifest but never written */
  phantom?: FileRecord[];
  /** runs after the manifest, before finish (e.g. to add an unlisted file) */
  afterManifest?: (w: ArchiveWriter) => Promise<void>;
  /** memories to write (default: the fixture's) */
  memories?: ExportMemory[];
  /** more files, listed in the manifest (e.g. attachments) */
  extra?: { path: string; data: Buffer | string; compress?: boolean }[];
}

export async function writeFixtureArchive(path: string, device: TestDevice, opts: WriteOptions = {}): Promise<FinishedArchive & { manifest: ManifestHead }> {
  const f = fixture();
  const memories = opts.memories ?? f.memories;
  const w = openArchive(path, { encrypt: opts.encrypt, mtime: new Date('2026-11-25T12:00:00.000Z') });
  try {
    for (const m of memories) {
      await w.addFile(memoryJsonPath(m.memory_id), exportMemoryJson(m));
      await w.addFile(memoryMarkdownPath(m.memory_id), memoryMarkdown(m));
    }
    const json = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';
    await w.addFile('spaces.json', json(f.spaces));
    await w.addFile('members.json', json(f.members));
    await w.addFile('devices.json', json([{ device_id: device.device_id, ed25519_public_key: device.publicKeyB64, this_device: true }]));
    await w.addFile('settings.json', json(f.settings));
    await w.addFile('audit.json', json(f.audit));
    await w.addFile('README.md', readmeBytes(readmeParams(f, !!opts.encrypt)));
    for (const x of opts.extra ?? []) await w.addFile(x.path, x.data, { compress: x.compress });
    const input = {
      subject: f.subject,
      generated_at: '2026-11-25T12:00:00.000Z',
      policy_version: '1.0.0',
      signing_device: { device_id: device.device_id, public_key: device.publicKey },
      counts: { memories: memories.length, markdown: memories.length, attachments: 0, others_left_out: f.left_out.length, black_included: memories.filter((m) => m.band === 'BLACK').length },
    };
    const signer = (bytes: Uint8Array): Uint8Array => sign(bytes, device.privateKey);
    let manifest: ManifestHead;
    if (opts.phantom) {
      const built = buildManifest({ ...input, files: [...w.files, ...opts.phantom] });
      const sig = await signManifest(built.bytes, signer, device.publicKey);
      await w.addFile(MANIFEST_PATH, built.bytes);
      await w.addFile(SIGNATURE_PATH, sig + '\n');
      manifest = built.manifest;
    } else {
      manifest = (await writeManifest(w, input, signer)).manifest;
    }
    await opts.afterManifest?.(w);
    return { ...(await w.finish()), manifest };
  } catch (err) {
    await w.abort();
    throw err;
  }
}

// ---- the Python checker -------------------------------------------------------------------------

let python: string | null | undefined;

/**
 * A python3 that has PyNaCl. Debian's python3-nacl is installed for /usr/bin/python3, which a
 * python3 earlier on PATH (pyenv) may not see, so both are tried.
 */
export function pythonWithNacl(): string | null {
  if (python !== undefined) return python;
  for (const exe of [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((x): x is string => !!x)) {
    const r = spawnSync(exe, ['-c', 'import nacl.signing'], { encoding: 'utf8' });
    if (r.status === 0) return (python = exe);
  }
  return (python = null);
}

export interface CheckerReport {
  valid: boolean;
  problems: { path: string; reason: string; detail?: string }[];
  checks: Record<string, unknown> & {
    signature_valid: boolean;
    key_matches: boolean;
    files_listed: number;
    files_matching: number;
    memory_json: { count: number; ids: string[] };
    markdown: { count: number };
    readme: { present: boolean; names: Record<string, boolean> };
    must_contain: Record<string, boolean>;
    must_not_contain: Record<string, boolean>;
  };
}

export function runChecker(archive: string, publicKeyB64: string, extra: string[] = []): { code: number | null; report: CheckerReport; stderr: string } {
  const exe = pythonWithNacl();
  if (!exe) throw new Error('no python3 with PyNaCl (Debian: apt-get install python3-nacl)');
  const r = spawnSync(exe, [CHECKER, archive, publicKeyB64, ...extra], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  let report: CheckerReport;
  try {
    report = JSON.parse(r.stdout) as CheckerReport;
  } catch {
    throw new Error(`check-export.py printed no JSON (exit ${r.status}): ${r.stderr}`);
  }
  return { code: r.status, report, stderr: r.stderr };
}
