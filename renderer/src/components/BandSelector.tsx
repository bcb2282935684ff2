import { useId, useState } from 'react';
import type { Band } from '../../../contracts/types';
import { BANDS, bandInfo } from '../lib/bands';
import { BandBadge } from './BandBadge';

interface Props {
  value: Band;
  onChange(band: Band): void;
  /** bands that cannot be picked here, with why (e.g. BLACK after creation) */
  disabled?: Partial<Record<Band, string>>;
  undoWindowSeconds?: number;
  legend?: string;
}

/**
 * A radio group whose explanation panel follows the band under the pointer or keyboard focus, so
 * a person reads what a band means before picking it, not after.
 */
export function BandSelector({ value, onChange, disabled = {}, undoWindowSeconds, legend = 'Band' }: Props) {
  const [looking, setLooking] = useState<Band | null>(null);
  const name = useId();
  const explainId = useId();
  const shown = bandInfo(looking ?? value, undoWindowSeconds);
  return (
    <fieldset className="band-picker" onMouseLeave={() => setLooking(null)}>
      <legend>{legend}</legend>
      <div className="band-options">
        {BANDS.map((b) => {
          const info = bandInfo(b, undoWindowSeconds);
          const why = disabled[b];
          return (
            <label key={b} className="band-option" onMouseEnter={() => setLooking(b)} title={why}>
              <span className="row">
                <input
                  type="radio"
                  name={name}
                  value={b}
                  checked={value === b}
                  disabled={!!why}
                  aria-describedby={explainId}
                  onFocus={() => setLooking(b)}
                  onBlur={() => setLooking(null)}
                  onChange={() => onChange(b)}
                />
                <BandBadge band={b} />
              </span>
              <span>{info.short}</span>
            </label>
          );
        })}
      </div>
      <div className="band-explain" id={explainId} aria-live="polite" data-testid="band-explanation">
        <strong>{shown.name}</strong>
        {disabled[shown.band] && <span className="muted"> — {disabled[shown.band]}</span>}
        <ul>{shown.details.map((d) => <li key={d}>{d}</li>)}</ul>
      </div>
    </fieldset>
  );
}
