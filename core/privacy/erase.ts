
import type { Ctx } from '../context/ctx';
import { enforce } from '../policy/authorize';
import { ApiError } from '../shared/errors';
import { checkpointTruncate } from '../store/database';
import { memoriesTable } from '../store/tables/memories';
import { eraseDecision, tombstoneMemory } from '../memories/erasure';
import { shred } from '../memories/lifecycle';
import { loadRecord, type MemoryRecord } from '../memories/read-model';
import { checkPassphrase } from '../vault/vault';

export interface EraseResult { erased: string[]; shredded: string[] }

/**
 * Erasure (GDPR Art. 17) of memories, decided all at once before anything is touched: each is
 * its author's or a guardian's to erase, and RED and BLACK ones need the passphrase again. A
 * memory that left this device is tombstoned — its keys shredded, its log ciphertext purged
 * (headers kept), its read model and index entry dropped, the tombstone sent to every peer; a
 * BLACK one never left and is shredded here. Then the WAL is checkpointed and truncated, so no
 * page of the data directory keeps a copy (secure_delete zeroes what is freed).
 */
export function eraseMemories(ctx: Ctx, actor: string, ids: string[], reauth: { passphrase: string } | undefined, decideAs = actor): EraseResult {
  const recs = [...new Set(ids)].map((id) => loadRecord(ctx, id));
  let reauthed = false;
  if (reauth) {
    if (!checkPassphrase(ctx, reauth.passphrase)) throw new ApiError('BAD_CREDENTIALS', 'wrong passphrase');
    reauthed = true;
  }
  for (const rec of recs) enforce(eraseDecision(ctx, rec.space_id, rec.memory_id, decideAs, reauthed, rec.band));
  return eraseDecided(ctx, actor, recs);
}

/** Erasure already decided (a standing decision: retention emptying the trash). */
export function eraseDecided(ctx: Ctx, actor: string, recs: MemoryRecord[]): EraseResult {
  const out: EraseResult = { erased: [], shredded: [] };
  ctx.uow.run(() => {
    for (const rec of recs) {
      if (rec.band === 'BLACK') { shred(ctx, actor, rec); out.shredded.push(rec.memory_id); }
      else { tombstoneMemory(ctx, actor, rec.space_id, rec.memory_id); out.erased.push(rec.memory_id); }
    }
  });
  checkpointTruncate(ctx.db);
  return out;
}

/** Every memory a subject authored in the spaces of this vault (privacy.erase {subject}). */
export const authoredBy = (ctx: Ctx, subject: string): string[] => memoriesTable.authoredBy(ctx.db, subject).map((r) => r.memory_id);
