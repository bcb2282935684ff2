import { listMemories } from '../../memories/memories';
import { restoreMemory } from '../../memories/lifecycle';
import { emptyTrash } from '../../privacy/trash';
import { getSettings } from '../../settings/settings';
import type { HandlersOf } from '../handler';

export const trashHandlers: HandlersOf<'trash'> = {
  'trash.list': ({ ctx, actor }, p) => ({ ...listMemories(ctx, actor, { ...p, trash: true }), retention_days: getSettings(ctx).trash_retention_days }),
  'trash.restore': ({ ctx, actor }, p) => restoreMemory(ctx, actor, p.memory_id),
  'trash.empty': ({ ctx, actor }, p) => emptyTrash(ctx, actor, p.reauth),
};
