import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { b64, fromB64, verify } from '../../crypto/sodium';
import { contractsDir } from '../../shared/paths';
import { APP_VERSION } from '../../shared/version';
import type { FileRecord } from './entry-table';
import type { ArchiveWriter } from './zip-writer';

/**
 * manifest.json and manifest.sig. The manifest lists every other file of the archive with its
 * size and SHA-256; manifest.sig is a detached Ed25519 signature (base64, one line) by the device
 * key over the exact bytes of manifest.json — a verifier checks those bytes and never
 * re-serialises them.
 */
export const EXPORT_FORMAT = 'memoryos-export';
export const EXPORT_FORMAT_VERSION = '1.0.0';
export const MANIFEST_PATH = 'manifest.json';
export const SIGNATURE_PATH = 'manifest.sig';
export const EXPORT_MEMORY_SCHEMA = 'storage/export-memory.schema.json';

export interface Manifest {
  format: typeof EXPORT_FORMAT;
  format_version: string;
  subject: { member_id: string; name: string };
  generated_at: string;
  app_version: string;
  /** contract path → x-contract-version of each schema the archive's files follow */
  schema_versions: Record<string, string>;
  policy_version: string;
  signing_device: { device_id: string; public_key: string };
  /** e.g. memories, markdown, attachments, others_left_out, black_included */
  counts: Record<string, number>;
  files: FileRecord[];
}

export interface ManifestInput {
  subject: { member_id: string; name: string };
  generated_at: string;
  policy_version: string;
  signing_device: { device_id: string; public_key: string | Uint8Array };
  counts: Record<string, number>;
  files: readonly FileRecord[];
  /** default APP_VERSION */
  app_version?: string;
  /** default: the export-memory contract's version, read from contracts/ */
  schema_versions?: Record<string, string>;
}

/** Signs with the device key; the private key stays with the caller. */
export type ManifestSigner = (bytes: Uint8Array) => Uint8Array | Promise<Uint8Array>;

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

let memorySchemaVersion: string | undefined;

/** The x-contract-version of contracts/storage/export-memory.schema.json. */
export function exportMemorySchemaVersion(): string {
  if (!memorySchemaVersion) {
    const schema = JSON.parse(readFileSync(join(contractsDir(), EXPORT_MEMORY_SCHEMA), 'utf8')) as { 'x-contract-version': string };
    memorySchemaVersion = schema['x-contract-version'];
  }
  return memorySchemaVersion;
}

const isReserved = (path: string): boolean => path === MANIFEST_PATH || path === SIGNATURE_PATH;
const SHA256_HEX = /^[0-9a-f]{64}$/;

function publicKeyB64(k: string | Uint8Array): string {
  const bytes = typeof k === 'string' ? fromB64(k) : k;
  if (bytes.length !== 32) throw new ManifestError('the signing device public key is not a 32-byte Ed25519 key');
  return b64(bytes);
}

/** The manifest without its file list: what is held as an object. */
export type ManifestHead = Omit<Manifest, 'files'>;

function manifestHead(input: Omit<ManifestInput, 'files'>): ManifestHead {
  for (const [k, v] of Object.entries(input.counts)) {
    if (!Number.isSafeInteger(v) || v < 0) throw new ManifestError(`count ${k} is not a non-negative integer`);
  }
  return {
    format: EXPORT_FORMAT,
    format_version: EXPORT_FORMAT_VERSION,
    subject: { member_id: input.subject.member_id, name: input.subject.name },
    generated_at: input.generated_at,
    app_version: input.app_version ?? APP_VERSION,
    schema_versions: input.schema_versions ?? { [EXPORT_MEMORY_SCHEMA]: exportMemorySchemaVersion() },
    policy_version: input.policy_version,
    signing_device: { device_id: input.signing_device.device_id, public_key: publicKeyB64(input.signing_device.public_key) },
    counts: { ...input.counts },
  };
}

function checkRecord(f: FileRecord): void {
  if (isReserved(f.path)) throw new ManifestError(`${f.path} cannot list itself`);
  if (!Number.isSafeInteger(f.size) || f.size < 0 || !SHA256_HEX.test(f.sha256)) throw new ManifestError(`incomplete record for ${f.path} (was its stream read to the end?)`);
}

/** records per piece of text made at once (the text of a few hundred KB, never of the whole list) */
const BATCH = 2048;

/**
 * The manifest's exact bytes — `JSON.stringify(manifest, null, 2) + '\n'`, fields in a fixed
 * order — made from the head and the file records without holding either the records or the
 * text as a whole: the records are read twice (once to size the buffer, once to fill it), each
 * made and dropped as it is read. At 200k files the bytes are ~35 MB, the only large allocation;
 * a signature needs them whole. Also gives the SHA-256 of the compact JSON of the same manifest
 * (the export job's `manifest_sha256`).
 */
export function manifestBytes(head: ManifestHead, files: () => Iterable<FileRecord>): { bytes: Buffer; compactSha256: string; files: number } {
  const indented = JSON.stringify({ ...head, files: [] }, null, 2);
  const compact = JSON.stringify({ ...head, files: [] });
  // both end with the empty list and the closing brace: the records go between
  const pre = indented.slice(0, -'[]\n}'.length);
  const preCompact = compact.slice(0, -'[]}'.length);
  const item = (f: FileRecord, p: string): string => `    {\n      "path": ${p},\n      "size": ${f.size},\n      "sha256": "${f.sha256}"\n    }`;
  let n = 0;
  let length = 0;
  for (const f of files()) {
    checkRecord(f);
    length += Buffer.byteLength(item(f, JSON.stringify(f.path))) + (n ? 2 : 0);
    n++;
  }
  const post = n ? '\n  ]\n}\n' : '[]\n}\n';
  length += Buffer.byteLength(pre) + (n ? 2 : 0) + Buffer.byteLength(post);
  const bytes = Buffer.allocUnsafeSlow(length);
  const sha = createHash('sha256').update(preCompact).update('[');
  let off = bytes.write(pre + (n ? '[\n' : ''), 0);
  let k = 0;
  let text = '';
  let textCompact = '';
  const flush = (): void => {
    off += bytes.write(text, off);
    sha.update(textCompact);
    text = '';
    textCompact = '';
  };
  for (const f of files()) {
    if (k >= n) throw new ManifestError('the file list changed while the manifest was made');
    const p = JSON.stringify(f.path);
    text += (k ? ',\n' : '') + item(f, p);
    textCompact += `${k ? ',' : ''}{"path":${p},"size":${f.size},"sha256":"${f.sha256}"}`;
    if (++k % BATCH === 0) flush();
  }
  flush();
  off += bytes.write(post, off);
  if (k !== n || off !== length) throw new ManifestError('the file list changed while the manifest was made');
  return { bytes, compactSha256: sha.update(']}').digest('hex'), files: n };
}

/** The manifest and its exact bytes (2-space JSON, fields in a fixed order, a final newline), from a list of records. */
export function buildManifest(input: ManifestInput): { manifest: Manifest; bytes: Buffer } {
  const seen = new Set<string>();
  const files = input.files.map((f) => {
    checkRecord(f);
    if (seen.has(f.path)) throw new ManifestError(`duplicate path ${f.path}`);
    seen.add(f.path);
    return { path: f.path, size: f.size, sha256: f.sha256 };
  });
  const head = manifestHead(input);
  return { manifest: { ...head, files }, bytes: manifestBytes(head, () => files).bytes };
}

/** A detached signature over `bytes`, checked against `publicKey` before it is returned. */
export async function signManifest(bytes: Uint8Array, sign: ManifestSigner, publicKey: string | Uint8Array): Promise<string> {
  const sig = await sign(bytes);
  const sigB64 = b64(sig);
  if (!verifyManifest(bytes, sigB64, publicKey)) throw new ManifestError('the signature does not verify with the signing device public key (wrong key passed?)');
  return sigB64;
}

/** Verifies manifest.sig (base64, surrounding whitespace ignored) over the exact manifest bytes. initCrypto() must have run. */
export function verifyManifest(bytes: Uint8Array, sigBase64: string, publicKey: string | Uint8Array): boolean {
  const text = sigBase64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return false;
  const sig = fromB64(text);
  const pk = typeof publicKey === 'string' ? fromB64(publicKey) : publicKey;
  if (sig.length !== 64 || pk.length !== 32) return false;
  return verify(sig, bytes, pk);
}

/**
 * Adds manifest.json and manifest.sig, listing every file the writer holds so far: call it last,
 * just before finish(). The writer's records are read as they are (it refuses duplicate names),
 * never copied into a list. Returns the manifest's head, how many files it lists, the signature,
 * and the SHA-256 of the manifest's compact JSON.
 */
export async function writeManifest(
  w: ArchiveWriter,
  input: Omit<ManifestInput, 'files'>,
  sign: ManifestSigner,
): Promise<{ manifest: ManifestHead; files: number; signature: string; compactSha256: string }> {
  const manifest = manifestHead(input);
  const { bytes, compactSha256, files } = manifestBytes(manifest, () => w.records());
  const signature = await signManifest(bytes, sign, manifest.signing_device.public_key);
  await w.addFile(MANIFEST_PATH, bytes);
  await w.addFile(SIGNATURE_PATH, signature + '\n');
  return { manifest, files, signature, compactSha256 };
}

/** Parses manifest bytes and checks their shape; throws ManifestError naming what is wrong. */
export function parseManifest(bytes: Uint8Array): Manifest {
  let m: unknown;
  try {
    m = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    throw new ManifestError('manifest.json is not JSON');
  }
  const o = m as Partial<Manifest> | null;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new ManifestError('manifest.json is not an object');
  if (o.format !== EXPORT_FORMAT) throw new ManifestError(`format is not ${EXPORT_FORMAT}`);
  if (typeof o.format_version !== 'string' || o.format_version.split('.')[0] !== EXPORT_FORMAT_VERSION.split('.')[0]) {
    throw new ManifestError(`format_version ${String(o.format_version)} is not supported`);
  }
  const dev = o.signing_device;
  if (!dev || typeof dev.device_id !== 'string' || typeof dev.public_key !== 'string' || fromB64(dev.public_key).length !== 32) {
    throw new ManifestError('signing_device is missing or its public_key is not a base64 Ed25519 key');
  }
  if (!Array.isArray(o.files)) throw new ManifestError('files is not a list');
  const seen = new Set<string>();
  for (const f of o.files as unknown[]) {
    const r = f as Partial<FileRecord> | null;
    if (!r || typeof r.path !== 'string' || !Number.isSafeInteger(r.size) || (r.size as number) < 0 || typeof r.sha256 !== 'string' || !SHA256_HEX.test(r.sha256)) {
      throw new ManifestError(`a files entry is malformed: ${JSON.stringify(f).slice(0, 200)}`);
    }
    if (isReserved(r.path)) throw new ManifestError(`files lists ${r.path}`);
    if (seen.has(r.path)) throw new ManifestError(`files lists ${r.path} twice`);
    seen.add(r.path);
  }
  return o as Manifest;
}
