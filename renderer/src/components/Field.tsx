import { cloneElement, useId, type ReactElement } from 'react';

/**
 * A label tied to its control by id rather than by nesting: a <select> nested in its <label>
 * would put every option's text into the control's accessible name.
 */
export function Field({ label, children }: { label: string; children: ReactElement<{ id?: string }> }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id })}
    </div>
  );
}
