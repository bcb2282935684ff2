import { useState, type FormEvent } from 'react';
import type { Role } from '../../../contracts/types';
import { describeError } from '../api/errors';
import { Dialog } from '../components/Dialog';
import { ROLES } from '../lib/kinds';
import { spaceById, useSpaces } from '../stores/spaces';

export function MembersDialog({ spaceId, onClose }: { spaceId: string; onClose(): void }) {
  const space = useSpaces((s) => spaceById(s.spaces, spaceId));
  const people = useSpaces((s) => s.members);
  const [memberId, setMemberId] = useState('');
  const [role, setRole] = useState<Role>('adult');
  const [newName, setNewName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!space) return null;
  const candidates = people.filter((p) => !space.members.some((m) => m.member_id === p.member_id));
  const isGuardian = space.my_role === 'guardian';

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try { await fn(); } catch (err) { setError(describeError(err)); } finally { setBusy(false); }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (memberId) void run(async () => { await useSpaces.getState().addMember(spaceId, memberId, role); setMemberId(''); });
  };
  const createPerson = (e: FormEvent) => {
    e.preventDefault();
    if (newName.trim()) void run(async () => { const m = await useSpaces.getState().createMember(newName.trim()); setNewName(''); setMemberId(m.member_id); });
  };

  return (
    <Dialog title={`Members of ${space.name}`} onClose={onClose} testId="members-dialog" actions={<button className="btn" type="button" onClick={onClose}>Close</button>}>
      <table>
        <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Can</th></tr></thead>
        <tbody>
          {space.members.map((m) => (
            <tr key={m.member_id}><td>{m.name}</td><td>{m.role}</td><td className="muted">{m.caps.join(', ').toLowerCase()}</td></tr>
          ))}
        </tbody>
      </table>
      {isGuardian ? (
        <>
          <h3 style={{ marginTop: 14 }}>Add a person</h3>
          <form className="row" onSubmit={add} style={{ flexWrap: 'wrap', marginBottom: 10 }}>
            <label className="grow">
              <span className="sr-only">Person</span>
              <select value={memberId} onChange={(e) => setMemberId(e.target.value)} aria-label="Person to add">
                <option value="">Choose a person…</option>
                {candidates.map((p) => <option key={p.member_id} value={p.member_id}>{p.name}</option>)}
              </select>
            </label>
            <label>
              <span className="sr-only">Role</span>
              <select value={role} onChange={(e) => setRole(e.target.value as Role)} aria-label="Role">
                {ROLES.map((r) => <option key={r.role} value={r.role}>{r.role} — {r.hint}</option>)}
              </select>
            </label>
            <button className="btn primary" type="submit" disabled={busy || !memberId}>Add</button>
          </form>
          <form className="row" onSubmit={createPerson}>
            <label className="grow">
              <span className="sr-only">New person’s name</span>
              <input type="text" value={newName} onChange={(e) => setNewName(e.target.value)} placeholder="New person’s name" aria-label="New person’s name" maxLength={200} />
            </label>
            <button className="btn" type="submit" disabled={busy || !newName.trim()}>Create profile</button>
          </form>
          <p className="muted" style={{ marginTop: 6 }}>A profile is a family member on this device; their keys live in this vault.</p>
        </>
      ) : (
        <p className="muted" style={{ marginTop: 10 }}>Only a guardian of this space can add people.</p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </Dialog>
  );
}
