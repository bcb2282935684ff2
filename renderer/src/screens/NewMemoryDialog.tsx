import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import type { Band, MemoryType } from '../../../contracts/types';
import { ApiCallError, describeError } from '../api/errors';
import { BandSelector } from '../components/BandSelector';
import { Dialog } from '../components/Dialog';
import { dateInputToIso, parseList } from '../lib/format';
import { MEMORY_TYPES } from '../lib/memory-types';
import { useMemories } from '../stores/memories';
import { useSettings } from '../stores/settings';
import { useSpaces } from '../stores/spaces';

/** Writing a memory starts here because its band (Black above all) is fixed at creation. */
export function NewMemoryDialog({ onClose }: { onClose(): void }) {
  const spaces = useSpaces((s) => s.spaces);
  const selected = useSpaces((s) => s.selected);
  const undoWindow = useSettings((s) => s.settings.undo_window_seconds);
  const [spaceId, setSpaceId] = useState(selected ?? spaces.find((s) => s.kind === 'personal')?.space_id ?? spaces[0]?.space_id ?? '');
  const [title, setTitle] = useState('');
  const [type, setType] = useState<MemoryType>('episodic');
  const [band, setBand] = useState<Band>('GREEN');
  const [body, setBody] = useState('');
  const [tags, setTags] = useState('');
  const [people, setPeople] = useState('');
  const [places, setPlaces] = useState('');
  const [when, setWhen] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!title.trim() || !spaceId) return;
    setBusy(true);
    setError(null);
    try {
      const occurred = dateInputToIso(when);
      await useMemories.getState().create({
        space_id: spaceId, type, band, title: title.trim(), body,
        tags: parseList(tags), people: parseList(people), places: parseList(places),
        ...(occurred ? { occurred_at: occurred } : {}),
      });
      onClose();
    } catch (err) {
      const reasons = err instanceof ApiCallError ? err.reasons : [];
      setError(describeError(err) + (reasons.length ? ` (${reasons.map((x) => x.code).join(', ')})` : ''));
      setBusy(false);
    }
  };

  return (
    <Dialog title="New memory" onClose={onClose} testId="new-memory-dialog" actions={<>
      <button className="btn" type="button" onClick={onClose}>Cancel</button>
      <button className="btn primary" type="submit" form="new-memory-form" disabled={busy || !title.trim()}>Create memory</button>
    </>}>
      <form id="new-memory-form" onSubmit={submit}>
        <div className="two">
          <Field label="Space"><select value={spaceId} onChange={(e) => setSpaceId(e.target.value)}>
              {spaces.map((s) => <option key={s.space_id} value={s.space_id}>{s.name}</option>)}
            </select></Field>
          <Field label="Type"><select value={type} onChange={(e) => setType(e.target.value as MemoryType)}>
              {MEMORY_TYPES.map((t) => <option key={t.type} value={t.type}>{t.label} — {t.hint}</option>)}
            </select></Field>
        </div>
        <Field label="Title"><input type="text" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={500} data-autofocus required data-testid="new-title" /></Field>
        <BandSelector value={band} onChange={setBand} undoWindowSeconds={undoWindow} />
        <Field label="Text"><textarea rows={4} value={body} onChange={(e) => setBody(e.target.value)} data-testid="new-body" /></Field>
        <div className="two">
          <Field label="Tags"><input type="text" value={tags} onChange={(e) => setTags(e.target.value)} placeholder="comma, separated" /></Field>
          <Field label="People"><input type="text" value={people} onChange={(e) => setPeople(e.target.value)} placeholder="comma, separated" /></Field>
        </div>
        <div className="two">
          <Field label="Places"><input type="text" value={places} onChange={(e) => setPlaces(e.target.value)} placeholder="comma, separated" /></Field>
          <Field label="When it happened"><input type="date" value={when} onChange={(e) => setWhen(e.target.value)} /></Field>
        </div>
        {error && <p className="error" role="alert">{error}</p>}
      </form>
    </Dialog>
  );
}
