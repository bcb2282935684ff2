import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';

/**
 * One owner per table (issue 7, item 3): every table's SQL lives in the one module that owns it
 * (core/store/tables/, or the in-memory search index), no other core module prepares or runs SQL,
 * and no module outside policy/ makes a policy decision or a FORBIDDEN of its own.
 */
const ROOT = join(__dirname, '..', '..');
const CORE = join(ROOT, 'core');

/** table → the module that owns its SQL */
export const OWNERS: Record<string, string> = {
  vault: 'core/store/tables/vault.ts',
  secrets: 'core/store/tables/secrets.ts',
  members: 'core/store/tables/members.ts',
  devices: 'core/store/tables/devices.ts',
  spaces: 'core/store/tables/spaces.ts',
  space_members: 'core/store/tables/spaces.ts',
  epoch_seals: 'core/store/tables/epoch-keys.ts',
  epoch_chain: 'core/store/tables/epoch-keys.ts',
  sync_log: 'core/store/tables/entry-logs.ts',
  local_log: 'core/store/tables/entry-logs.ts',
  tombstones: 'core/store/tables/tombstones.ts',
  memories: 'core/store/tables/memories.ts',
  pending_actions: 'core/store/tables/pending-actions.ts',
  events: 'core/store/tables/events.ts',
  audit_chain: 'core/store/tables/audit-chain.ts',
  settings: 'core/store/tables/settings.ts',
  sync_peers: 'core/store/tables/sync-peers.ts',
  invites: 'core/store/tables/invites.ts',
  jobs: 'core/store/tables/jobs.ts',
  attachments: 'core/store/tables/attachments.ts',
  attachment_blobs: 'core/store/tables/attachments.ts',
  attachment_chunks: 'core/store/tables/attachments.ts',
  import_sources: 'core/store/tables/import-sources.ts',
  // the full-text index (FTS5 and its shadow tables) and the format it was written in
  search_docs: 'core/store/search-index.ts',
  search_fts: 'core/store/search-index.ts',
  search_fts_data: 'core/store/search-index.ts',
  search_fts_idx: 'core/store/search-index.ts',
  search_fts_content: 'core/store/search-index.ts',
  search_fts_docsize: 'core/store/search-index.ts',
  search_fts_config: 'core/store/search-index.ts',
  search_state: 'core/store/search-index.ts',
  // the index's vocabulary (fts5vocab over search_fts, migration 016), for typo tolerance
  search_vocab: 'core/store/search-index.ts',
  // the impact tiers of ranked search (FTS5 and its vocabulary; migration 019)
  search_lead: 'core/store/search-index.ts',
  search_lead_data: 'core/store/search-index.ts',
  search_lead_idx: 'core/store/search-index.ts',
  search_lead_content: 'core/store/search-index.ts',
  search_lead_config: 'core/store/search-index.ts',
  search_lead_vocab: 'core/store/search-index.ts',
};

/** Modules that open connections, run migrations or keep the statement cache: they name no table. */
const SQL_MACHINERY = ['core/store/database.ts', 'core/store/encrypt-in-place.ts', 'core/store/query.ts', 'core/store/unit-of-work.ts', 'core/store/search-index.ts'];

const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
  const p = join(dir, f);
  return statSync(p).isDirectory() ? walk(p) : [p];
});
const sources = walk(CORE).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => ({ rel: relative(ROOT, f), text: readFileSync(f, 'utf8') }));
const tablesIn = (sqlText: string): string[] => [...sqlText.matchAll(/\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\s+([a-z_]+)\b/g)].map((m) => m[1]);

export function strangers(files: { rel: string; text: string }[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    for (const t of tablesIn(f.text)) {
      // the schema catalogue belongs to the machinery that opens and migrates databases
      if (t === 'sqlite_master' && SQL_MACHINERY.includes(f.rel)) continue;
      const owner = OWNERS[t];
      if (!owner) out.push(`${f.rel}: names a table no module owns: ${t}`);
      else if (owner !== f.rel) out.push(`${f.rel}: SQL for ${t}, which ${owner} owns`);
    }
    if (/\bdb\.(prepare|exec|pragma)\(/.test(f.text) && !SQL_MACHINERY.includes(f.rel) && !f.rel.startsWith('core/store/tables/')) {
      out.push(`${f.rel}: runs SQL itself (prepare/exec/pragma): go through its table's module`);
    }
  }
  return [...new Set(out)];
}

describe('one owner per table', () => {
  it('every table the migrations create has an owner', () => {
    // the tables a database has after every migration (a table rebuilt under a new name counts once)
    const db = new Database(':memory:');
    for (const f of readdirSync(join(CORE, 'store', 'migrations')).filter((x) => x.endsWith('.sql')).sort()) db.exec(readFileSync(join(CORE, 'store', 'migrations', f), 'utf8'));
    const created = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
    db.close();
    expect(created.length).toBeGreaterThan(10);
    expect(created.filter((t) => !OWNERS[t])).toEqual([]);
  });

  it('no SQL text for a table outside the module that owns it', () => {
    const files = sources.filter((f) => !f.rel.startsWith('core/store/migrations/'));
    expect(strangers(files)).toEqual([]);
  });

  it('names the stranger when a module writes another table\'s SQL', () => {
    const bad = [{ rel: 'core/memories/lifecycle.ts', text: "db.prepare('DELETE FROM memories WHERE memory_id = ?')" }, { rel: 'core/store/tables/devices.ts', text: "query('SELECT * FROM space_members')" }];
    expect(strangers(bad)).toEqual([
      'core/memories/lifecycle.ts: SQL for memories, which core/store/tables/memories.ts owns',
      'core/memories/lifecycle.ts: runs SQL itself (prepare/exec/pragma): go through its table\'s module',
      'core/store/tables/devices.ts: SQL for space_members, which core/store/tables/spaces.ts owns',
    ]);
  });
});

describe('one authorization seam', () => {
  it('no decide( and no hand-made FORBIDDEN outside policy/', () => {
    const outside = sources.filter((f) => !f.rel.startsWith('core/policy/'));
    expect(outside.filter((f) => /\bdecide\(/.test(f.text)).map((f) => f.rel)).toEqual([]);
    expect(outside.filter((f) => /ApiError\(\s*'FORBIDDEN'/.test(f.text)).map((f) => f.rel)).toEqual([]);
  });

  it('every authorize( comes from policy/authorize.ts', () => {
    const callers = sources.filter((f) => /\bauthorize\(/.test(f.text) && !f.rel.startsWith('core/policy/'));
    expect(callers.length).toBeGreaterThan(5);
    for (const f of callers) expect(f.text, f.rel).toMatch(/import \{[^}]*\bauthorize\b[^}]*\} from '(\.\.\/)+policy\/authorize'/);
  });
});
