import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import type { Space, SpaceKind } from '../../../contracts/types';
import { describeError } from '../api/errors';
import { Dialog } from '../components/Dialog';
import { KINDS } from '../lib/kinds';
import { useSpaces } from '../stores/spaces';

export function NewSpaceDialog({ onClose, onCreated }: { onClose(): void; onCreated(s: Space): void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<SpaceKind>('shared');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    try {
      onCreated(await useSpaces.getState().create(kind, name.trim()));
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title="New space"
      onClose={onClose}
      testId="new-space-dialog"
      actions={<>
        <button className="btn" type="button" onClick={onClose}>Cancel</button>
        <button className="btn primary" type="submit" form="new-space-form" disabled={busy || !name.trim()}>Create space</button>
      </>}
    >
      <form id="new-space-form" onSubmit={submit}>
        <Field label="Name"><input type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} data-autofocus required /></Field>
        <Field label="Kind"><select value={kind} onChange={(e) => setKind(e.target.value as SpaceKind)} aria-describedby="kind-hint">
            {KINDS.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
          </select></Field>
        <p id="kind-hint" className="muted">{KINDS.find((k) => k.kind === kind)?.hint} Kinds run from personal to interfamily: moving an Amber memory to a wider kind asks for consent.</p>
        {error && <p className="error" role="alert">{error}</p>}
      </form>
    </Dialog>
  );
}
