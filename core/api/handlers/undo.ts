import { listActions, undoAction } from '../../undo/undo';
import type { HandlersOf } from '../handler';

export const undoHandlers: HandlersOf<'undo'> = {
  'undo.list': ({ ctx, actor }, p) => ({ actions: listActions(ctx, actor, p.include_done === true) }),
  'undo.apply': ({ ctx, actor }, p) => ({ action: undoAction(ctx, actor, p.action_id) }),
};
