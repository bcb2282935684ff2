import { useId, useState, type FormEvent } from 'react';
import type { Role, Space, SpaceInviteResponse, SpaceMember } from '../../../../contracts/types';
import { describeError } from '../../api/errors';
import { CopyField } from '../../components/CopyField';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { formatDuration, formatWhen } from '../../lib/format';
import { kindLabel, LEAST_ROLE, ROLES } from '../../lib/kinds';
import { useSession } from '../../stores/session';
import { useSpaces } from '../../stores/spaces';
import { useSync } from '../../stores/sync';
import { useUi } from '../../stores/ui';

/** The confirm step of removing a person: staged behind the undo window, then new keys. */
function RemoveDialog({ space, member, onClose }: { space: Space; member: SpaceMember; onClose(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setBusy(true); setError(null);
    try {
      const pending = await useSpaces.getState().removeMember(space.space_id, member.member_id);
      useUi.getState().notify(`Removing ${member.name} from ${space.name} in ${formatDuration(pending.seconds_left)}: undo it in the undo queue`);
      onClose();
    } catch (e) { setError(describeError(e)); setBusy(false); }
  };
  return (
    <Dialog title={`Remove ${member.name} from ${space.name}?`} onClose={onClose} testId="remove-member-dialog" actions={<>
      <button className="btn" type="button" onClick={onClose} data-autofocus>Cancel</button>
      <button className="btn danger" type="button" disabled={busy} onClick={() => void remove()}>Remove</button>
    </>}>
      <p>When the undo window ends, {space.name} moves to new keys that {member.name}’s devices do not get: they can read nothing written afterwards.</p>
      <p className="muted">What they already received stays with them.</p>
      {error && <p className="error" role="alert">{error}</p>}
    </Dialog>
  );
}

/** A guardian invites another person (on their own device) into the space with a role. */
function InviteForm({ space }: { space: Space }) {
  const [role, setRole] = useState<Role>(LEAST_ROLE);
  const [invite, setInvite] = useState<SpaceInviteResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError(null);
    try { setInvite(await useSpaces.getState().invite(space.space_id, role)); } catch (err) { setError(describeError(err)); } finally { setBusy(false); }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="invite-form">
      <div className="row" style={{ alignItems: 'flex-end', flexWrap: 'wrap' }}>
        <Field label={`Role for a person invited to ${space.name}`}>
          <select value={role} onChange={(e) => { setRole(e.target.value as Role); setInvite(null); }}>
            {ROLES.map((r) => <option key={r.role} value={r.role}>{r.role} — {r.hint}</option>)}
          </select>
        </Field>
        <button className="btn" type="submit" disabled={busy} style={{ marginBottom: 10 }}>Create invite</button>
      </div>
      {invite && (
        <>
          <CopyField label={`Invite to ${space.name} as ${role}`} value={invite.invite} testId="space-invite" />
          <p className="muted">Send it to the person; it works once, until {formatWhen(invite.expires_at)}, while this device is online.</p>
        </>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}

/** The invitee's side: paste an invite from another person, join the space and sync it. */
function JoinForm() {
  const [invite, setInvite] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError(null);
    try {
      const r = await useSpaces.getState().join(invite.trim());
      setInvite('');
      await useSync.getState().load(); // the inviting device as a peer, before any event about it
      useUi.getState().notify(`Joined ${r.space_id} as ${r.role}; its memories arrive now`);
    } catch (err) { setError(describeError(err)); } finally { setBusy(false); }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <h3>Join a space</h3>
      <div className="field">
        <label htmlFor={id}>Invite from another person</label>
        <textarea id={id} className="mono token" rows={2} value={invite} onChange={(e) => setInvite(e.target.value)} placeholder="mos1.…" spellCheck={false} />
      </div>
      <button className="btn" type="submit" disabled={busy || !invite.trim()}>Join</button>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}

/** Each space with its members and their roles; guardians invite from here. */
export function SpaceMembers() {
  const spaces = useSpaces((s) => s.spaces);
  const me = useSession((s) => s.status?.member_id ?? null);
  const [removing, setRemoving] = useState<{ space: Space; member: SpaceMember } | null>(null);
  return (
    <section className="card" aria-labelledby="members-title">
      <h2 id="members-title">Spaces and members</h2>
      {spaces.map((space) => (
        <div key={space.space_id} className="space-members" data-testid={`members-${space.space_id}`}>
          <h3>{space.name} <span className="muted">({kindLabel(space.kind).toLowerCase()} space{space.epoch > 1 ? `; moved to new keys ${space.epoch - 1} time${space.epoch === 2 ? '' : 's'}, when someone left or a device was revoked` : ''})</span></h3>
          <table>
            <thead><tr><th scope="col">Person</th><th scope="col">Role</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {space.members.map((m) => (
                <tr key={m.member_id}>
                  <td>{m.name}{m.member_id === me && <span className="muted"> (you)</span>}</td>
                  <td>{m.role}</td>
                  <td>{space.my_role === 'guardian' && m.member_id !== me && (
                    <button className="btn small danger" type="button" aria-label={`Remove ${m.name} from ${space.name}`} onClick={() => setRemoving({ space, member: m })}>Remove…</button>
                  )}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {space.my_role === 'guardian' && space.kind !== 'personal' && <InviteForm space={space} />}
        </div>
      ))}
      <JoinForm />
      {removing && <RemoveDialog space={removing.space} member={removing.member} onClose={() => setRemoving(null)} />}
    </section>
  );
}
