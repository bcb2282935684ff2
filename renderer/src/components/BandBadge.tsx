import type { Band } from '../../../contracts/types';

export function BandBadge({ band }: { band: Band }) {
  return <span className={`band band-${band}`}>{band}</span>;
}
