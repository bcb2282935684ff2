import type { Settings } from '../../../contracts/types';

/**
 * The Settings form's fields, checked before they are sent: an empty or out-of-range field says
 * what is wanted (the contract's ranges, contracts/api/common.schema.json#/$defs/Settings).
 */
export function checkSettings(f: { undo: string; autoLock: string; retention: string }): { settings: Settings } | { problem: string } {
  const int = (v: string) => (/^\s*\d+\s*$/.test(v) ? Number(v) : NaN);
  const undo = int(f.undo);
  if (!(undo >= 1 && undo <= 604800)) return { problem: 'Enter how many seconds the undo window lasts: a whole number from 1 to 604800 (a week). 900 is 15 minutes.' };
  const lock = int(f.autoLock);
  if (!(lock >= 0 && lock <= 1440)) return { problem: 'Enter after how many idle minutes the vault locks itself: a whole number from 0 (never) to 1440 (a day).' };
  const settings: Settings = { undo_window_seconds: undo, auto_lock_minutes: lock };
  if (f.retention.trim() !== '') {
    const r = checkRetention(f.retention);
    if ('problem' in r) return r;
    settings.trash_retention_days = r.days;
  }
  return { settings };
}

/** The trash retention field alone (the Privacy center's), 1 to 3650 days. */
export function checkRetention(text: string): { days: number } | { problem: string } {
  const days = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!(days >= 1 && days <= 3650)) return { problem: 'Enter how many days the trash keeps a memory: a whole number from 1 to 3650 (ten years).' };
  return { days };
}
