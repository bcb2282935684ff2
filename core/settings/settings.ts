import type { Settings } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { policyDocument } from '../policy/policy-document';
import { settingsTable } from '../store/tables/settings';

export type FullSettings = Required<Settings>;

export function defaults(): FullSettings {
  return { undo_window_seconds: policyDocument().undo_window_default_seconds, auto_lock_minutes: 15, trash_retention_days: 30 };
}

export function getSettings(ctx: Pick<Ctx, 'db'>): FullSettings {
  const out = defaults();
  for (const r of settingsTable.all(ctx.db)) {
    if (r.key in out) (out as Record<string, unknown>)[r.key] = JSON.parse(r.value);
  }
  return out;
}

export function writeSettings(ctx: Pick<Ctx, 'db'>, patch: Settings): FullSettings {
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) settingsTable.put(ctx.db, k, JSON.stringify(v));
  return getSettings(ctx);
}

export const undoWindowSeconds = (ctx: Pick<Ctx, 'db'>): number => getSettings(ctx).undo_window_seconds;
