/**
 * Countdowns for pending actions. The deadline is anchored on the local monotonic clock when the
 * host reported seconds_left, so a skewed wall clock cannot make a window look longer or shorter.
 */
export function deadlineFrom(secondsLeft: number, nowMonotonicMs: number): number {
  return nowMonotonicMs + Math.max(0, secondsLeft) * 1000;
}

export function secondsRemaining(deadlineMs: number, nowMonotonicMs: number): number {
  return Math.max(0, Math.ceil((deadlineMs - nowMonotonicMs) / 1000));
}

/** "14:59", "1:02:03", "0:05" */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
