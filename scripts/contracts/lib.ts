/**
 * Shared helpers for the contracts tooling (check, index, typegen).
 *
 * Layout conventions (see contracts/CHANGELOG.md and SPEC §1, §6):
 *   - every `*.schema.json` is a JSON Schema 2020-12 document whose `$id` is
 *     `https://memoryos.dev/contracts/<path relative to contracts/>`;
 *   - `api/methods/<method>.json` are method descriptors (not schemas) with inline
 *     `request` / `response` schemas;
 *   - `events/topics.json` is the topic catalog, `policy/policy.json` the policy document.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export const CONTRACTS_BASE_URI = 'https://memoryos.dev/contracts/';
export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
export const INDEX_FILE = 'index.sha256.json';
export const TYPES_DIR = 'types';

/** The twelve envelope fields a contract change may never remove (SPEC §6). */
export const FROZEN_ENVELOPE_FIELDS = [
  'id',
  'ts',
  'topic',
  'band',
  'obligations',
  'policy_version',
  'actor',
  'device',
  'space_id',
  'qos',
  'hashes',
  'signature',
] as const;

/** Well-known files, relative to the contracts dir. */
export const WELL_KNOWN = {
  common: 'api/common.schema.json',
  error: 'api/error.schema.json',
  envelope: 'events/envelope.schema.json',
  topics: 'events/topics.json',
  policySchema: 'policy/policy.schema.json',
  policy: 'policy/policy.json',
} as const;

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DEFAULT_CONTRACTS_DIR = path.join(REPO_ROOT, 'contracts');

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type ContractKind = 'schema' | 'method' | 'topics' | 'policy-data' | 'data';

export interface ContractFile {
  /** path relative to the contracts dir, always with forward slashes */
  rel: string;
  abs: string;
  kind: ContractKind;
  json: Json;
}

export interface LoadedContracts {
  dir: string;
  files: ContractFile[];
  /** one line per problem, already prefixed with the file it concerns */
  problems: string[];
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

export function kindOf(rel: string): ContractKind {
  if (rel.endsWith('.schema.json')) return 'schema';
  if (/^api\/methods\/[^/]+\.json$/.test(rel)) return 'method';
  if (rel === WELL_KNOWN.topics) return 'topics';
  if (rel === WELL_KNOWN.policy) return 'policy-data';
  return 'data';
}

/** Every contract JSON file under dir (excluding the generated types dir and the index). */
export function listContractFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (absDir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(absDir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const abs = path.join(absDir, entry.name);
      const rel = toPosix(path.relative(dir, abs));
      if (entry.isDirectory()) {
        if (rel === TYPES_DIR || entry.name === 'node_modules') continue;
        walk(abs);
      } else if (entry.isFile() && entry.name.endsWith('.json') && rel !== INDEX_FILE) {
        out.push(rel);
      }
    }
  };
  walk(dir);
  return out.sort();
}

export function loadContracts(dir: string): LoadedContracts {
  const problems: string[] = [];
  const files: ContractFile[] = [];
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    return { dir, files, problems: [`${dir}: contracts directory not found`] };
  }
  for (const rel of listContractFiles(dir)) {
    const abs = path.join(dir, rel);
    let json: Json;
    try {
      json = JSON.parse(fs.readFileSync(abs, 'utf8')) as Json;
    } catch (err) {
      problems.push(`${rel}: not valid JSON: ${(err as Error).message}`);
      continue;
    }
    files.push({ rel, abs, kind: kindOf(rel), json });
  }
  return { dir, files, problems };
}

/** JSON with object keys sorted recursively and no whitespace: formatting-independent. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// SemVer (2.0.0) parsing and ordering, enough for contract versions.

const SEMVER_RE =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export function isSemver(v: unknown): v is string {
  return typeof v === 'string' && SEMVER_RE.test(v);
}

/** negative if a < b, 0 if equal precedence, positive if a > b. Both must be valid SemVer. */
export function compareSemver(a: string, b: string): number {
  const ma = SEMVER_RE.exec(a);
  const mb = SEMVER_RE.exec(b);
  if (!ma || !mb) throw new Error(`not SemVer: ${!ma ? a : b}`);
  for (let i = 1; i <= 3; i++) {
    const d = Number(ma[i]) - Number(mb[i]);
    if (d !== 0) return d;
  }
  const pa = ma[4];
  const pb = mb[4];
  if (pa === undefined && pb === undefined) return 0;
  if (pa === undefined) return 1;
  if (pb === undefined) return -1;
  const ia = pa.split('.');
  const ib = pb.split('.');
  for (let i = 0; i < Math.max(ia.length, ib.length); i++) {
    const x = ia[i];
    const y = ib[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    } else if (xn !== yn) {
      return xn ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

/** The version a file is tracked at in the index: its x-contract-version (policy.json: policy_version). */
export function versionOf(file: ContractFile): string | null {
  if (!isObject(file.json)) return null;
  const v = file.json['x-contract-version'];
  if (typeof v === 'string') return v;
  if (file.kind === 'policy-data' && typeof file.json['policy_version'] === 'string') {
    return file.json['policy_version'];
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// JSON Schema traversal (schema-aware: never descends into data keywords such as examples,
// const, enum, default, so a property *named* "title" or "examples" is not mistaken for a keyword).

/** keywords whose value is a map name -> schema */
export const SCHEMA_MAP_KEYWORDS = ['$defs', 'definitions', 'properties', 'patternProperties', 'dependentSchemas'];
/** keywords whose value is a schema */
export const SCHEMA_VALUE_KEYWORDS = [
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
  'items',
  'additionalItems',
  'unevaluatedItems',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'contentSchema',
];
/** keywords whose value is an array of schemas */
export const SCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Visit a schema and all its subschemas. `pointer` is the JSON pointer (unescaped form
 * joined with "/", tokens escaped per RFC 6901) of each subschema relative to the root given.
 */
export function forEachSubschema(
  schema: Json,
  visit: (sub: JsonObject, pointer: string) => void,
  pointer = '',
): void {
  if (!isObject(schema)) return;
  visit(schema, pointer);
  for (const kw of SCHEMA_MAP_KEYWORDS) {
    const map = schema[kw];
    if (isObject(map)) {
      for (const [name, sub] of Object.entries(map)) {
        forEachSubschema(sub, visit, `${pointer}/${kw}/${escapePointerToken(name)}`);
      }
    }
  }
  for (const kw of SCHEMA_VALUE_KEYWORDS) {
    const sub = schema[kw];
    if (Array.isArray(sub)) {
      sub.forEach((s, i) => forEachSubschema(s, visit, `${pointer}/${kw}/${i}`));
    } else {
      forEachSubschema(sub as Json, visit, `${pointer}/${kw}`);
    }
  }
  for (const kw of SCHEMA_ARRAY_KEYWORDS) {
    const arr = schema[kw];
    if (Array.isArray(arr)) arr.forEach((s, i) => forEachSubschema(s, visit, `${pointer}/${kw}/${i}`));
  }
}

/** Resolve a JSON pointer (RFC 6901, optionally URI-fragment encoded) within a document. */
export function resolvePointer(doc: Json, pointer: string): Json | undefined {
  if (pointer === '' || pointer === '/') return pointer === '' ? doc : undefined;
  if (!pointer.startsWith('/')) return undefined;
  let node: Json | undefined = doc;
  for (const raw of pointer.slice(1).split('/')) {
    let token: string;
    try {
      token = decodeURIComponent(raw);
    } catch {
      token = raw;
    }
    token = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      node = /^\d+$/.test(token) ? node[Number(token)] : undefined;
    } else if (isObject(node)) {
      node = Object.prototype.hasOwnProperty.call(node, token) ? node[token] : undefined;
    } else {
      return undefined;
    }
    if (node === undefined) return undefined;
  }
  return node;
}

// ---------------------------------------------------------------------------------------------
// Schema "documents": every *.schema.json plus the inline request/response schema of every
// method descriptor. Inline method schemas get a synthetic URI next to their descriptor
// (api/methods/<method>.request.json) so relative refs resolve as from the descriptor file
// and "#/..." refers to the request/response schema itself.

export interface SchemaDoc {
  /** absolute URI the schema is registered under */
  uri: string;
  /** where it came from, for messages: "api/methods/memory.create.json#/request" */
  origin: string;
  file: ContractFile;
  schema: Json;
  role: 'file' | 'request' | 'response';
}

/** Human-readable location of a subschema: "api/x.schema.json#/$defs/A", "api/methods/m.json#/request/properties/a". */
export function schemaLocation(doc: SchemaDoc, pointer: string): string {
  if (doc.role === 'file') return pointer === '' ? doc.origin : `${doc.origin}#${pointer}`;
  return `${doc.origin}${pointer}`;
}

export function expectedId(rel: string): string {
  return CONTRACTS_BASE_URI + rel;
}

export function methodSchemaUri(rel: string, role: 'request' | 'response'): string {
  return expectedId(rel.replace(/\.json$/, `.${role}.json`));
}

export function schemaDocs(loaded: LoadedContracts): SchemaDoc[] {
  const docs: SchemaDoc[] = [];
  for (const file of loaded.files) {
    if (file.kind === 'schema') {
      const id = isObject(file.json) && typeof file.json.$id === 'string' ? file.json.$id : expectedId(file.rel);
      docs.push({ uri: id, origin: file.rel, file, schema: file.json, role: 'file' });
    } else if (file.kind === 'method' && isObject(file.json)) {
      for (const role of ['request', 'response'] as const) {
        const schema = file.json[role];
        if (isObject(schema) || typeof schema === 'boolean') {
          docs.push({ uri: methodSchemaUri(file.rel, role), origin: `${file.rel}#/${role}`, file, schema, role });
        }
      }
    }
  }
  return docs;
}

/** Split a URI into its document part (no fragment) and its fragment (decoded "#..." removed). */
export function splitUri(uri: string): { doc: string; fragment: string } {
  const i = uri.indexOf('#');
  if (i < 0) return { doc: uri, fragment: '' };
  return { doc: uri.slice(0, i), fragment: uri.slice(i + 1) };
}

/** Method name "memory.create" -> "MemoryCreate"; file stem "memory_row" -> "MemoryRow". */
export function pascalCase(name: string, lowerAllCapsWords = false): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const out = words
    .map((w) => {
      const word = lowerAllCapsWords && /^[A-Z0-9]+$/.test(w) ? w.toLowerCase() : w;
      return word.charAt(0).toUpperCase() + word.slice(1);
    })
    .join('');
  return /^[0-9]/.test(out) ? `_${out}` : out;
}

export interface CliArgs {
  dir: string;
  flags: Set<string>;
}

export function parseArgs(argv: string[]): CliArgs {
  let dir = DEFAULT_CONTRACTS_DIR;
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--dir') {
      const next = argv[++i];
      if (!next) throw new Error('--dir needs a value');
      dir = path.resolve(next);
    } else if (a.startsWith('--dir=')) {
      dir = path.resolve(a.slice('--dir='.length));
    } else if (a.startsWith('--')) {
      flags.add(a.slice(2));
    } else {
      throw new Error(`unexpected argument: ${a}`);
    }
  }
  return { dir, flags };
}

/** Path of a file in the contracts dir, for messages: "contracts/api/x.json" when dir is the repo's. */
export function displayDir(dir: string): string {
  const rel = toPosix(path.relative(process.cwd(), dir));
  return rel === '' ? '.' : rel.startsWith('..') ? toPosix(dir) : rel;
}
