import type { Band } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { createInput, importMemories } from '../memories/memories';
import { authorize, enforce } from '../policy/authorize';
import { bandRank } from '../policy/policy-document';
import { memoriesTable } from '../store/tables/memories';
import { importSourcesTable } from '../store/tables/import-sources';
import { fitItem } from './fit-limits';
import type { SourceItem } from './source';
import { sourceKey } from './source-key';
import { planAttachments, storeAttachments } from './store-attachments';

export type Outcome = { outcome: 'imported' | 'duplicate' | 'trashed'; warnings: string[] };

export interface WriteOptions {
  space_id: string;
  /** the band asked for (import.run's band); undefined: GREEN, or a MemoryOS memory's own */
  band?: Band;
  dry_run: boolean;
  /** a dry run's source keys so far (it writes none, yet two equal items are one); a real run's are in import_sources */
  seen: Set<string>;
}

/** A MemoryOS memory keeps its band, raised to the one asked for, never lowered (BLACK stays BLACK). */
const bandFor = (src: SourceItem, asked: Band | undefined): Band => {
  if (!src.kept) return asked ?? 'GREEN';
  if (!asked) return src.kept.band;
  return bandRank(asked) > bandRank(src.kept.band) ? asked : src.kept.band;
};

/** the space has this source from an earlier import, and the memory it became still exists (an erased one is imported again) */
function alreadyThere(ctx: Ctx, space: string, key: Buffer): boolean {
  const earlier = importSourcesTable.find(ctx.db, space, key);
  return !!earlier && !!memoriesTable.find(ctx.db, earlier.memory_id);
}

/** an expiry in the past would expire the restored memory at once: it gets the default week instead */
const futureExpiry = (ctx: Ctx, iso: string | null | undefined): string | undefined =>
  iso && Date.parse(iso) > ctx.clock.now() ? iso : undefined;

/**
 * One source item into the space: skipped when this space has it from an earlier import (and its
 * memory still exists), else fitted to the API's limits and written in one unit of work — the
 * memory through the core write path (importMemories, which decides the band for the actor), its
 * text already naming its files by the ids they will get, and the record that it was imported —
 * so the note is all there or not at all. Its files follow, each whole or not at all
 * (store-attachments.ts). Throws what should fail the item (ItemDoesNotFit, a FORBIDDEN for a
 * band the role may not use).
 */
export async function writeItem(ctx: Ctx, actor: string, src: SourceItem, o: WriteOptions): Promise<Outcome> {
  const { item } = src;
  const warnings = [...(item.warnings ?? [])];
  if (item.trashed) return { outcome: 'trashed', warnings: ['in the source\'s trash: not imported'] };
  const key = sourceKey(ctx, o.space_id, item.source.hash);
  const seenKey = key.toString('latin1'); // 32 characters a key: a dry run of a million items holds 32 MB of them
  if (o.seen.has(seenKey) || alreadyThere(ctx, o.space_id, key)) return { outcome: 'duplicate', warnings: [] };
  const band = bandFor(src, o.band);
  const fitted = fitItem(item, band, src.kept?.type, src.kept?.type === 'working' ? futureExpiry(ctx, src.kept.expires_at) : undefined);
  warnings.push(...fitted.warnings);
  if (src.kept && src.kept.recipients > 0) warnings.push('a RED memory\'s recipients are not carried over: it is readable by you only until you name them again');
  const plan = planAttachments(ctx, item.attachments);
  warnings.push(...plan.warnings);
  if (o.dry_run) {
    enforce(authorize(createInput(ctx, actor, o.space_id, band))); // the decision the write would get
    o.seen.add(seenKey);
    return { outcome: 'imported', warnings };
  }
  const memory = { ...fitted.memory, body: plan.rewrite(fitted.memory.body ?? '') };
  const memoryId = ctx.uow.run(() => {
    // asked again inside the write: another process importing the same source may have been first
    if (alreadyThere(ctx, o.space_id, key)) return null;
    const { memory_ids } = importMemories(ctx, actor, o.space_id, [memory]);
    importSourcesTable.put(ctx.db, o.space_id, key, memory_ids[0]!, ctx.clock.now());
    return memory_ids[0]!;
  });
  if (!memoryId) return { outcome: 'duplicate', warnings: [] };
  warnings.push(...(await storeAttachments(ctx, actor, memoryId, plan)));
  return { outcome: 'imported', warnings };
}
