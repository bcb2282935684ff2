import { useId, useRef, useState, type KeyboardEvent } from 'react';

interface Props {
  label: string;
  /** what one chip is, for the remove buttons: "tag", "person", "place" */
  noun: string;
  value: string[];
  onChange(value: string[]): void;
  /** offered while typing (the browser's own autocomplete list): tags, people, places already used */
  suggestions: string[];
  readOnly?: boolean;
  placeholder?: string;
  /** what is typed and not made a chip yet (a form that submits takes it too) */
  onPendingChange?(text: string): void;
}

const MAX = 200;

/**
 * Tags, people and places as compact chips. Typing a comma, Enter or leaving the field makes a
 * chip of what was typed; Backspace in the empty field removes the last chip; each chip has its
 * own remove button. Suggestions come from a <datalist>, so autocomplete is the browser's own
 * (keyboard and screen reader included).
 */
export function ChipsField({ label, noun, value, onChange, suggestions, readOnly, placeholder, onPendingChange }: Props) {
  const id = useId();
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const setPending = (t: string) => { setText(t); onPendingChange?.(t); };

  const add = (parts: string[]): string[] => {
    const next = [...value];
    for (const p of parts.map((x) => x.trim().slice(0, MAX)).filter(Boolean)) if (!next.includes(p)) next.push(p);
    if (next.length !== value.length) onChange(next);
    return next;
  };
  const commit = () => { if (text.trim()) add([text]); setPending(''); };
  const onType = (t: string) => {
    if (readOnly) return;
    if (!t.includes(',')) { setPending(t); return; }
    const parts = t.split(',');
    const rest = parts.pop() ?? '';
    add(parts);
    setPending(rest.trimStart());
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (readOnly) return;
    if (e.key === 'Enter' && text.trim()) { e.preventDefault(); commit(); }
    else if (e.key === 'Backspace' && !text && value.length && !readOnly) { e.preventDefault(); onChange(value.slice(0, -1)); }
  };
  const offered = suggestions.filter((s) => !value.includes(s));

  return (
    <div className="field chips-field">
      <label htmlFor={id}>{label}</label>
      <div className={`chips${readOnly ? ' readonly' : ''}`} onClick={(e) => { if (e.target === e.currentTarget) input.current?.focus(); }}>
        {value.length > 0 && (
          <ul className="chip-list" aria-label={`${label} chosen`}>
            {value.map((v) => (
              <li key={v} className="chip">
                <span>{v}</span>
                {!readOnly && <button type="button" className="chip-x" aria-label={`Remove ${noun} ${v}`} onClick={() => onChange(value.filter((x) => x !== v))}>×</button>}
              </li>
            ))}
          </ul>
        )}
        {(
          <input
            ref={input}
            id={id}
            type="text"
            list={readOnly ? undefined : listId}
            value={text}
            readOnly={readOnly}
            placeholder={value.length ? '' : readOnly ? 'none' : placeholder}
            maxLength={MAX * 4}
            autoComplete="off"
            onChange={(e) => onType(e.target.value)}
            onKeyDown={onKeyDown}
            onBlur={commit}
          />
        )}
      </div>
      <datalist id={listId}>{offered.map((s) => <option key={s} value={s} />)}</datalist>
    </div>
  );
}
