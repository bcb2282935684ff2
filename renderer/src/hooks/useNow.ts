import { useEffect, useState } from 'react';

/** Re-renders every `intervalMs` while mounted (countdowns are display only): performance.now(). */
export function useNow(intervalMs = 250): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
