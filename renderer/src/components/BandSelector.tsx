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
  /**
   * the editor's compact control: the four bands in one line, the explanation only on demand
   * ("What do the bands mean?"); a new memory shows the explanation at once, as the band is chosen there
   */
  compact?: boolean;
}

/**
 * A radio group whose explanation panel follows the band under the pointer or keyboard focus, so
 * a person reads what a band means before picking it, not after.
 */
export function BandSelector({ value, onChange, disabled = {}, undoWindowSeconds, legend = 'Band', compact = false }: Props) {
  const [looking, setLooking] = useState<Band | null>(null);
  const [explain, setExplain] = useState(!compact);
  const name = useId();
  const explainId = useId();
  const shown = bandInfo(looking ?? value, undoWindowSeconds);
  return (
    <fieldset className={`band-picker${compact ? ' compact' : ''}`} onMouseLeave={() => setLooking(null)}>
      <legend>{legend}</legend>
      <div className="band-options">
        {BANDS.map((b) => {
          const info = bandInfo(b, undoWindowSeconds);
          const why = disabled[b];
          return (
            <label key={b} className="band-option" onMouseEnter={() => setLooking(b)} title={compact ? `${info.name}: ${info.short}${why ? ` (${why})` : ''}` : why}>
              <span className="row">
                <input
                  type="radio"
                  name={name}
                  value={b}
                  checked={value === b}
                  disabled={!!why}
                  aria-describedby={explain ? explainId : undefined}
                  onFocus={() => setLooking(b)}
                  onBlur={() => setLooking(null)}
                  onChange={() => onChange(b)}
                />
                <BandBadge band={b} />
              </span>
              {!compact && <span>{info.short}</span>}
            </label>
          );
        })}
        {compact && (
          <button type="button" className="btn link small" aria-expanded={explain} aria-controls={explain ? explainId : undefined} onClick={() => setExplain(!explain)}>
            {explain ? 'Hide the explanation' : 'What do the bands mean?'}
          </button>
        )}
      </div>
      {explain && (
        <div className="band-explain" id={explainId} aria-live="polite" data-testid="band-explanation">
          <strong>{shown.name}</strong>
          {disabled[shown.band] && <span className="muted"> — {disabled[shown.band]}</span>}
          <ul>{shown.details.map((d) => <li key={d}>{d}</li>)}</ul>
          {compact && <p className="muted small">Point at or focus another band to read what it means. {BANDS.filter((b) => b !== shown.band).map((b) => bandInfo(b, undoWindowSeconds).name).join(' · ')}.</p>}
        </div>
      )}
    </fieldset>
  );
}
