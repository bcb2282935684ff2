import { useEffect, useState, type FormEvent } from 'react';
import type { Member } from '../../../contracts/types';
import { describeError } from '../api/errors';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { useProfiles } from '../stores/profiles';
import { useSession } from '../stores/session';
import { useUi } from '../stores/ui';

const PIN_NOTE = 'A PIN keeps the people who share this computer out of each other’s profile. It is not encryption: everything stays encrypted under the vault’s passphrase, and whoever knows the passphrase can open every profile.';

/** The PIN a profile asks for before this window switches to it. */
function PinPrompt({ member, onDone, onCancel }: { member: Member; onDone(): void; onCancel(): void }) {
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await useProfiles.getState().switchTo(member.member_id, pin);
      if (r === 'unsaved') setError('An edit is not saved yet, so switching now would lose it. Go back to it, or wait until it says saved.');
      else onDone();
    } catch (err) {
      setError(describeError(err));
      setPin('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} data-testid="profile-pin-form">
      <Field label={`${member.name}’s PIN`}>
        <input type="password" inputMode="numeric" autoComplete="off" pattern="[0-9]{4,12}" maxLength={12} value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} data-autofocus data-testid="profile-pin" aria-describedby="pin-note" />
      </Field>
      {error && <p className="error" role="alert" data-testid="profile-pin-error">{error}</p>}
      <div className="row">
        <button className="btn" type="button" onClick={onCancel}>Back</button>
        <button className="btn primary" type="submit" disabled={busy || pin.length < 4} data-testid="profile-pin-submit">Switch to {member.name}</button>
      </div>
    </form>
  );
}

/** Sets, changes or clears a profile's PIN (the person themself, or the vault owner). */
function PinEditor({ member }: { member: Member }) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = async (value: string | null) => {
    setError(null);
    try {
      await useProfiles.getState().setPin(member.member_id, value);
      setPin('');
      useUi.getState().notify(value ? `${member.name}’s profile now asks for its PIN.` : `${member.name}’s profile no longer asks for a PIN.`);
    } catch (e) { setError(describeError(e)); }
  };
  return (
    <div className="pin-editor" data-testid={`pin-editor-${member.name}`}>
      <Field label={member.has_pin ? `New PIN for ${member.name}` : `PIN for ${member.name}`}>
        <input type="password" inputMode="numeric" autoComplete="new-password" maxLength={12} value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} data-testid="profile-new-pin" />
      </Field>
      <div className="row">
        <button className="btn small" type="button" disabled={pin.length < 4} onClick={() => void save(pin)} data-testid="profile-set-pin">{member.has_pin ? 'Change PIN' : 'Set PIN'}</button>
        {member.has_pin && <button className="btn small" type="button" onClick={() => void save(null)}>Remove PIN</button>}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

/** Switch this window to another family profile; set PINs. */
export function ProfilesDialog({ onClose }: { onClose(): void }) {
  const profiles = useProfiles((s) => s.profiles);
  const current = useProfiles((s) => s.current);
  const ownerId = useSession((s) => s.status?.member_id);
  const [asking, setAsking] = useState<Member | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isOwner = !!current && current.member_id === ownerId;
  // read again on every opening: a profile added since (here or on another door) is listed
  useEffect(() => { void useProfiles.getState().load().catch((e) => setError(describeError(e))); }, []);

  const choose = async (m: Member) => {
    setError(null);
    if (m.has_pin && m.member_id !== current?.member_id) { setAsking(m); return; }
    try {
      const r = await useProfiles.getState().switchTo(m.member_id);
      if (r === 'unsaved') { setError('An edit is not saved yet, so switching now would lose it. Go back to it, or wait until it says saved.'); return; }
      done(m);
    } catch (e) {
      setError(describeError(e));
    }
  };
  const done = (m: Member) => {
    onClose();
    setTimeout(() => useUi.getState().notify(`You are now using ${m.name}’s profile.`), 0);
  };

  return (
    <Dialog title={asking ? `Switch to ${asking.name}` : 'Profiles on this computer'} onClose={onClose} testId="profiles-dialog" actions={!asking && <button className="btn" type="button" onClick={onClose}>Close</button>}>
      <p className="muted small" id="pin-note">{PIN_NOTE}</p>
      {asking ? <PinPrompt member={asking} onDone={() => done(asking)} onCancel={() => setAsking(null)} /> : (
        <>
          <ul className="profile-list" data-testid="profile-list">
            {profiles.map((m) => (
              <li key={m.member_id} className="row">
                <span className="grow">{m.name}{m.member_id === ownerId ? ' (owner)' : ''}{m.has_pin ? ' · PIN' : ''}</span>
                {m.member_id === current?.member_id
                  ? <span className="muted" aria-current="true">You</span>
                  : <button className="btn small" type="button" onClick={() => void choose(m)} data-testid={`switch-to-${m.name}`}>Switch to {m.name}</button>}
              </li>
            ))}
          </ul>
          {error && <p className="error" role="alert">{error}</p>}
          {current && (
            <details>
              <summary>PINs</summary>
              {(isOwner ? profiles : [current]).map((m) => <PinEditor key={m.member_id} member={m} />)}
            </details>
          )}
        </>
      )}
    </Dialog>
  );
}

/** The top bar's profile button: who this window acts as. */
export function ProfileButton() {
  const current = useProfiles((s) => s.current);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button className="btn small profile-button" type="button" onClick={() => setOpen(true)} data-testid="profile-button" title="Switch to another profile on this computer">
        Profile: {current?.name ?? '…'}
      </button>
      {open && <ProfilesDialog onClose={() => setOpen(false)} />}
    </>
  );
}
