import { emit } from '../../events/emit';
import { capsOf } from '../../policy/authorize';
import { getSettings, writeSettings } from '../../settings/settings';
import type { HandlersOf } from '../handler';

export const settingsHandlers: HandlersOf<'settings'> = {
  'settings.get': ({ ctx }) => ({ settings: getSettings(ctx) }),
  // the vault owner's only: the router decided (settings.change is an owner action)
  'settings.set': ({ ctx, actor }, p) => {
    const before = getSettings(ctx);
    return ctx.uow.run(() => {
      const after = writeSettings(ctx, p.settings);
      // a changed undo window changes what "staged" means for everyone: audited
      const audited = after.undo_window_seconds !== before.undo_window_seconds;
      emit(ctx, { topic: 'SETTINGS_CHANGED', payload: { settings: p.settings }, actor: { member_id: actor, caps: capsOf('guardian') }, audit: audited });
      return { settings: after };
    });
  },
};
