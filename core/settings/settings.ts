import type { Settings } from '../../contracts/types';
import type { Ctx } from '../app/context';
import { policyDocument } from '../policy/policy-document';
import { sql } from '../store/statements';

export type FullSettings = Required<Settings>;

export function defaults(): FullSettings {
  return { undo_window_seconds: policyDocument().undo_window_default_seconds, auto_lock_minutes: 15, trash_retention_days: 30 };
}

export function getSettings(ctx: Ctx): FullSettings {
  const out = defaults();
  for (const r of sql(ctx.db, 'SELECT key, value FROM settings').all() as { key: keyof FullSettings; value: string }[]) {
    if (r.key in out) out[r.key] = JSON.parse(r.value);
  }
  return out;
}

export function writeSettings(ctx: Ctx, patch: Settings): FullSettings {
  const stmt = sql(ctx.db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) stmt.run(k, JSON.stringify(v));
  return getSettings(ctx);
}

export const undoWindowSeconds = (ctx: Ctx): number => getSettings(ctx).undo_window_seconds;
