import { formatDuration } from './format';

/** An ISO 8601 duration of the policy ("PT15M", "PT30S") in seconds, or null. */
export function durationSeconds(iso: string): number | null {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(iso);
  if (!m || (!m[1] && !m[2] && !m[3])) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** What a policy obligation means for the person, never its code: "UNDO_WINDOW:PT15M" → "waits 15 minutes, can be undone". */
export function obligationInWords(o: string): string {
  if (o.startsWith('UNDO_WINDOW:')) {
    const s = durationSeconds(o.slice('UNDO_WINDOW:'.length));
    return s === null ? 'waits in the undo window, can be undone' : `waits ${formatDuration(s)}, can be undone`;
  }
  switch (o) {
    case 'AUDIT_ACCESS': return 'opening it is recorded in the audit log';
    case 'REDACT_CONTENT': return 'its content stays hidden from others in lists and search';
    case 'BLOCK_PROJECTION': return 'it cannot be shared into another space';
    case 'LOCAL_ONLY': return 'it never leaves this device';
    default: return 'one more rule of the policy applies';
  }
}
