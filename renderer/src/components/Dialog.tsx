import { useEffect, useId, useRef, type ReactNode } from 'react';

interface Props {
  title: string;
  onClose(): void;
  children: ReactNode;
  actions?: ReactNode;
  /** data-testid for the dialog element */
  testId?: string;
}

/**
 * A modal on the native <dialog>: showModal() gives focus trapping, Escape to close and an inert
 * background without any library.
 */
export function Dialog({ title, onClose, children, actions, testId }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) {
      d.showModal();
      // showModal focuses the first focusable element; the dialog's main field is a better start
      d.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    return () => { if (d?.open) d.close(); };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => { e.preventDefault(); onClose(); }}
    >
      <div className="dialog-body">
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
      {actions && <div className="dialog-actions">{actions}</div>}
    </dialog>
  );
}
