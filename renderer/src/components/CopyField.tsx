import { useId, useRef } from 'react';
import { useUi } from '../stores/ui';

/**
 * A long token (an invite) shown read-only with a Copy button. The clipboard API needs a secure
 * context; where it is refused the text is selected instead, so Ctrl+C still works.
 */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      useUi.getState().notify(`${label} copied`);
    } catch {
      ref.current?.select();
      useUi.getState().notify('Copying was refused: the text is selected, press Ctrl+C');
    }
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <textarea ref={ref} id={id} className="grow mono token" readOnly rows={3} value={value} data-testid={testId} onFocus={(e) => e.currentTarget.select()} />
        <button className="btn" type="button" onClick={() => void copy()}>Copy</button>
      </div>
    </div>
  );
}
