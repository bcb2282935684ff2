import type { Settings } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { policyDocument } from '../policy/policy-document';
import { settingsTable } from '../store/tables/settings';

export type FullSettings = Required<Settings>;

/** 256 MiB: a phone video or a scanned book fits; a disk image does not (attachment.add refuses it in words) */
export const ATTACHMENT_MAX_BYTES_DEFAULT = 256 * 1024 * 1024;

export function defaults(): FullSettings {
  return { undo_window_seconds: policyDocument().undo_window_default_seconds, auto_lock_minutes: 15, trash_retention_days: 30, attachment_max_bytes: ATTACHMENT_MAX_BYTES_DEFAULT };
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

export const attachmentMaxBytes = (ctx: Pick<Ctx, 'db'>): number => getSettings(ctx).attachment_max_bytes;
