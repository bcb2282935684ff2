/**
 * contracts/index.sha256.json: SHA-256 of each contract file's canonical JSON (sorted keys, no
 * whitespace) plus the version it was recorded at. The checker compares the tree with it so a
 * contract cannot change without a version bump; `npm run contracts:index` rewrites it.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  canonicalJson,
  compareSemver,
  INDEX_FILE,
  isObject,
  isSemver,
  LoadedContracts,
  sha256Hex,
  versionOf,
  WELL_KNOWN,
} from './lib';

export interface IndexEntry {
  sha256: string;
  version: string | null;
}

export interface HashIndex {
  files: Record<string, IndexEntry>;
}

export function computeIndex(loaded: LoadedContracts): HashIndex {
  const files: Record<string, IndexEntry> = {};
  for (const file of [...loaded.files].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))) {
    files[file.rel] = { sha256: sha256Hex(canonicalJson(file.json)), version: versionOf(file) };
  }
  return { files };
}

export function serializeIndex(index: HashIndex): string {
  return `${JSON.stringify(index, null, 2)}\n`;
}

export function indexPath(dir: string): string {
  return path.join(dir, INDEX_FILE);
}

/** Read the index; returns a problem string instead when missing or malformed. */
export function readIndex(dir: string): HashIndex | string {
  const p = indexPath(dir);
  if (!fs.existsSync(p)) return `${INDEX_FILE}: missing; run npm run contracts:index`;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(p, 'utf8'));
  } catch (err) {
    return `${INDEX_FILE}: not valid JSON (${(err as Error).message}); run npm run contracts:index`;
  }
  if (!isObject(json) || !isObject(json.files)) return `${INDEX_FILE}: expected {"files": {...}}; run npm run contracts:index`;
  const files: Record<string, IndexEntry> = {};
  for (const [rel, entry] of Object.entries(json.files)) {
    if (!isObject(entry) || typeof entry.sha256 !== 'string' || !(typeof entry.version === 'string' || entry.version === null)) {
      return `${INDEX_FILE}: malformed entry for ${rel}; run npm run contracts:index`;
    }
    files[rel] = { sha256: entry.sha256, version: entry.version };
  }
  return { files };
}

const fmt = (v: string | null): string => (v === null ? '(none)' : v);

/** Compare the tree with the recorded index; one problem line per offending file. */
export function compareIndex(recorded: HashIndex, current: HashIndex): string[] {
  const problems: string[] = [];
  for (const [rel, cur] of Object.entries(current.files)) {
    const old = recorded.files[rel];
    if (!old) {
      problems.push(`${rel}: new contract file not in ${INDEX_FILE}; run npm run contracts:index`);
      continue;
    }
    if (old.sha256 === cur.sha256) continue;
    if (cur.version === null || cur.version === old.version) {
      const field = rel === WELL_KNOWN.policy ? 'policy_version' : 'x-contract-version';
      problems.push(
        `${rel}: changed without a version bump (${field} is still ${fmt(cur.version)}); bump it, add a contracts/CHANGELOG.md entry, then run npm run contracts:index`,
      );
    } else if (old.version !== null && isSemver(old.version) && isSemver(cur.version) && compareSemver(cur.version, old.version) < 0) {
      problems.push(`${rel}: version went backwards (${old.version} in ${INDEX_FILE}, now ${cur.version})`);
    } else if (!isSemver(cur.version)) {
      problems.push(`${rel}: version ${cur.version} is not SemVer`);
    } else {
      problems.push(
        `${rel}: version bumped ${fmt(old.version)} -> ${cur.version} but ${INDEX_FILE} still has the old content; run npm run contracts:index`,
      );
    }
  }
  for (const [rel, old] of Object.entries(recorded.files)) {
    if (!(rel in current.files)) {
      problems.push(
        `${rel}: removed, but ${INDEX_FILE} records it at version ${fmt(old.version)}; removing a contract is a breaking change — if deliberate, run npm run contracts:index`,
      );
    }
  }
  return problems;
}

export interface IndexChange {
  rel: string;
  what: 'added' | 'changed' | 'removed';
  from?: string | null;
  to?: string | null;
  /** changed content at the same version (or a lower one) */
  suspicious: boolean;
}

export function diffIndex(recorded: HashIndex | null, current: HashIndex): IndexChange[] {
  const changes: IndexChange[] = [];
  const old = recorded?.files ?? {};
  for (const [rel, cur] of Object.entries(current.files)) {
    const prev = old[rel];
    if (!prev) changes.push({ rel, what: 'added', to: cur.version, suspicious: false });
    else if (prev.sha256 !== cur.sha256) {
      const suspicious =
        cur.version === null ||
        cur.version === prev.version ||
        (isSemver(cur.version) && prev.version !== null && isSemver(prev.version) && compareSemver(cur.version, prev.version) < 0);
      changes.push({ rel, what: 'changed', from: prev.version, to: cur.version, suspicious });
    }
  }
  for (const [rel, prev] of Object.entries(old)) {
    if (!(rel in current.files)) changes.push({ rel, what: 'removed', from: prev.version, suspicious: false });
  }
  return changes;
}

export function writeIndex(dir: string, loaded: LoadedContracts): { index: HashIndex; changes: IndexChange[] } {
  const prev = readIndex(dir);
  const index = computeIndex(loaded);
  const changes = diffIndex(typeof prev === 'string' ? null : prev, index);
  fs.writeFileSync(indexPath(dir), serializeIndex(index));
  return { index, changes };
}
