import { useState, type FormEvent } from 'react';
import type { Role, SpaceMember } from '../../../contracts/types';
import { describeError } from '../api/errors';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { formatClock } from '../lib/format';
import { canInWords, LEAST_ROLE, ROLES } from '../lib/kinds';
import { useProfiles } from '../stores/profiles';
import { useSession } from '../stores/session';
import { spaceById, useSpaces } from '../stores/spaces';
import { useUndo } from '../stores/undo';

/**
 * Members of a space, changed in place: a guardian sets each person's role on their row and
 * removes them there (the removal waits in the undo window, shown on the row with its Undo). The
 * list follows changes made elsewhere live (USER_SPACE_ACCESS_GRANTED, USER_ROLE_ASSIGNED,
 * SYNC_APPLIED re-read the spaces: live-events.ts). A Personal space is just its owner: it offers
 * no way to add anyone.
 */
export function MembersDialog({ spaceId, onClose }: { spaceId: string; onClose(): void }) {
  const space = useSpaces((s) => spaceById(s.spaces, spaceId));
  const people = useSpaces((s) => s.members);
  // the profile this window acts as (the vault owner's until a switch)
  const owner = useSession((s) => s.status?.member_id);
  const me = useProfiles((s) => s.current?.member_id) ?? owner;
  const actions = useUndo((s) => s.actions);
  const removing = useUndo((s) => s.removing);
  const [memberId, setMemberId] = useState('');
  const [role, setRole] = useState<Role>(LEAST_ROLE);
  const [newName, setNewName] = useState('');
  const [spaceName, setSpaceName] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!space) return null;
  const personal = space.kind === 'personal';
  const candidates = people.filter((p) => !space.members.some((m) => m.member_id === p.member_id));
  const isGuardian = space.my_role === 'guardian';
  const leaving = (m: SpaceMember) => actions.find((a) => a.kind === 'remove_member' && a.space_id === spaceId && removing[a.action_id] === m.member_id);

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try { await fn(); } catch (err) { setError(describeError(err)); } finally { setBusy(false); }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (memberId) void run(async () => { await useSpaces.getState().addMember(spaceId, memberId, role); setMemberId(''); setRole(LEAST_ROLE); });
  };
  const rename = (e: FormEvent) => {
    e.preventDefault();
    const name = (spaceName ?? '').trim();
    if (name && name !== space.name) void run(async () => { await useSpaces.getState().rename(spaceId, name); setSpaceName(null); });
  };
  const createPerson = (e: FormEvent) => {
    e.preventDefault();
    if (newName.trim()) void run(async () => { const m = await useSpaces.getState().createMember(newName.trim()); setNewName(''); setMemberId(m.member_id); });
  };

  return (
    <Dialog title={`Members of ${space.name}`} onClose={onClose} testId="members-dialog" actions={<button className="btn" type="button" onClick={onClose}>Close</button>}>
      {isGuardian && (
        <form className="row" onSubmit={rename} data-testid="rename-space">
          <Field label="Space name"><input value={spaceName ?? space.name} maxLength={200} onChange={(e) => setSpaceName(e.target.value)} /></Field>
          <button className="btn small" type="submit" disabled={busy || !(spaceName ?? '').trim() || (spaceName ?? '').trim() === space.name}>Rename</button>
        </form>
      )}
      <table className="members">
        <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Can</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {space.members.map((m) => {
            const pending = leaving(m);
            const editable = isGuardian && !personal && m.member_id !== me && !pending;
            return (
              <tr key={m.member_id}>
                <td>{m.name}{m.member_id === me && <span className="muted"> (you)</span>}</td>
                <td>
                  {editable ? (
                    <select aria-label={`Role of ${m.name}`} value={m.role} disabled={busy} onChange={(e) => { const r = e.target.value as Role; void run(() => useSpaces.getState().setRole(spaceId, m.member_id, r)); }}>
                      {ROLES.map((r) => <option key={r.role} value={r.role}>{r.role}</option>)}
                    </select>
                  ) : m.role}
                </td>
                <td className="muted">{canInWords(m.role, m.caps)}</td>
                <td>
                  {pending ? (
                    <span className="row">
                      <span className="row-pending">Leaving · at {formatClock(pending.commit_at)}</span>
                      <button className="btn small" type="button" aria-label={`Undo removing ${m.name}`} onClick={() => void useUndo.getState().undo(pending.action_id)}>Undo</button>
                    </span>
                  ) : editable && (
                    <button className="btn small danger" type="button" disabled={busy} onClick={() => void run(() => useSpaces.getState().removeMember(spaceId, m.member_id))}>Remove {m.name}</button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {personal ? (
        <p className="muted" style={{ marginTop: 10 }}>A Personal space is just you: nobody else can be added to it. To keep memories with your family, make a shared space (“+ New space”) and share into it.</p>
      ) : isGuardian ? (
        <>
          <p className="muted small" style={{ marginTop: 6 }}>Removing someone waits in the undo window; then the space moves to new keys their devices do not get.</p>
          <h3 style={{ marginTop: 14 }}>Add a person</h3>
          <form className="add-member" onSubmit={add}>
            <Field label="Person to add">
              <select value={memberId} onChange={(e) => setMemberId(e.target.value)}>
                <option value="">Choose a person…</option>
                {candidates.map((p) => <option key={p.member_id} value={p.member_id}>{p.name}</option>)}
              </select>
            </Field>
            <Field label="Role for the new member">
              <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {ROLES.map((r) => <option key={r.role} value={r.role}>{r.role} — {r.hint}</option>)}
              </select>
            </Field>
            <button className="btn primary" type="submit" disabled={busy || !memberId}>Add</button>
          </form>
          <p className="muted small">New members start as guests (they read Green memories only): give more only to whom it is due.</p>
          <form className="row" onSubmit={createPerson}>
            <label className="grow">
              <span className="sr-only">New person’s name</span>
              <input type="text" value={newName} onChange={(e) => setNewName(e.target.value)} placeholder="New person’s name" aria-label="New person’s name" maxLength={200} style={{ width: '100%' }} />
            </label>
            <button className="btn" type="submit" disabled={busy || !newName.trim()}>Create profile</button>
          </form>
          <p className="muted" style={{ marginTop: 6 }}>A profile is a family member on this device; their keys live in this vault.</p>
        </>
      ) : (
        <p className="muted" style={{ marginTop: 10 }}>Only a guardian of this space can add people or change roles.</p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </Dialog>
  );
}
