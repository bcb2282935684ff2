import { useMemo, useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import type { Band, MemoryType } from '../../../contracts/types';
import { describeError } from '../api/errors';
import { BandSelector } from '../components/BandSelector';
import { ChipsField } from '../components/ChipsField';
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
  const [tags, setTags] = useState<string[]>([]);
  const [people, setPeople] = useState<string[]>([]);
  const [places, setPlaces] = useState<string[]>([]);
  // what is typed in a chips field and not yet a chip goes with the memory too
  const [typed, setTyped] = useState({ tags: '', people: '', places: '' });
  const known = useMemories((s) => s.known);
  const suggestions = useMemo(() => {
    const t = new Set<string>(); const p = new Set<string>(); const l = new Set<string>();
    for (const k of Object.values(known)) { k.tags.forEach((x) => t.add(x)); k.people.forEach((x) => p.add(x)); k.places.forEach((x) => l.add(x)); }
    return { tags: [...t].sort(), people: [...p].sort(), places: [...l].sort() };
  }, [known]);
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
        tags: [...new Set([...tags, ...parseList(typed.tags)])], people: [...new Set([...people, ...parseList(typed.people)])], places: [...new Set([...places, ...parseList(typed.places)])],
        ...(occurred ? { occurred_at: occurred } : {}),
      });
      onClose();
    } catch (err) {
      setError(describeError(err)); // a denial's reasons are in the sentence
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
        <Field label="Text"><textarea rows={5} placeholder="Markdown works: # a heading, **bold**, - [ ] a to-do" value={body} onChange={(e) => setBody(e.target.value)} data-testid="new-body" /></Field>
        <div className="two">
          <ChipsField label="Tags" noun="tag" value={tags} onChange={setTags} suggestions={suggestions.tags} placeholder="e.g. school, health" onPendingChange={(t) => setTyped((x) => ({ ...x, tags: t }))} />
          <ChipsField label="People" noun="person" value={people} onChange={setPeople} suggestions={suggestions.people} placeholder="e.g. Grandma" onPendingChange={(t) => setTyped((x) => ({ ...x, people: t }))} />
        </div>
        <div className="two">
          <ChipsField label="Places" noun="place" value={places} onChange={setPlaces} suggestions={suggestions.places} placeholder="e.g. the lake house" onPendingChange={(t) => setTyped((x) => ({ ...x, places: t }))} />
          <Field label="When it happened"><input type="date" value={when} onChange={(e) => setWhen(e.target.value)} /></Field>
        </div>
        {error && <p className="error" role="alert">{error}</p>}
      </form>
    </Dialog>
  );
}
