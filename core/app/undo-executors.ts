import type { Band } from '../../contracts/types';
import { ApiError } from '../shared/errors';
import { loadRecord } from '../memories/read-model';
import { trash } from '../memories/lifecycle';
import { copyInto } from '../memories/share';
import { applyBand } from '../memories/band';
import { removeMemberNow } from '../spaces/membership';
import { registerExecutor } from '../undo/undo';

/** What each kind of staged action does when its window ends (undo/ knows only that something does). */
export function registerUndoExecutors(): void {
  registerExecutor('share', (ctx, a) => {
    const rec = loadRecord(ctx, a.memory_id!);
    if (rec.deleted_at) throw new ApiError('CONFLICT', 'the memory went to the trash before the share committed');
    copyInto(ctx, a.actor, rec, String(a.args.target_space_id));
  });
  registerExecutor('delete', (ctx, a) => {
    const rec = loadRecord(ctx, a.memory_id!);
    if (!rec.deleted_at) trash(ctx, a.actor, rec);
  });
  registerExecutor('remove_member', (ctx, a) => {
    removeMemberNow(ctx, a.actor, a.space_id, String(a.args.member_id));
  });
  registerExecutor('set_band', (ctx, a) => {
    applyBand(ctx, a.actor, loadRecord(ctx, a.memory_id!), a.args.to as Band);
  });
}
