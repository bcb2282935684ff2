import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { describeError } from '../api/errors';
import { passphraseStrength } from '../lib/passphrase-strength';
import { useSession } from '../stores/session';

const METER_COLOURS = ['#b42318', '#c2410c', '#a16207', '#15803d', '#166534'];

export function CreateVault() {
  const [name, setName] = useState('');
  const [pass, setPass] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const strength = passphraseStrength(pass);
  const mismatch = confirm.length > 0 && confirm !== pass;
  const canCreate = name.trim().length > 0 && strength.acceptable && pass === confirm && !busy;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!canCreate) return;
    setBusy(true);
    setError(null);
    try {
      // the recovery key screen comes first; the vault is unlocked behind it
      await useSession.getState().createVault(name.trim(), pass);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <form className="card" onSubmit={submit} aria-labelledby="create-title">
        <h1 id="create-title">Create your vault</h1>
        <p className="muted">Everything you keep in MemoryOS is encrypted on this device with a key only your passphrase (or your recovery key) opens.</p>
        <Field label="Your name"><input type="text" value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" autoFocus required maxLength={200} /></Field>
        <Field label="Passphrase"><input type="password" value={pass} onChange={(e) => setPass(e.target.value)} autoComplete="new-password" aria-describedby="strength" required /></Field>
        <div id="strength" aria-live="polite" data-testid="strength">
          <div className="meter" role="meter" aria-label="Passphrase strength" aria-valuemin={0} aria-valuemax={4} aria-valuenow={strength.score} aria-valuetext={strength.label}>
            <div style={{ width: `${((strength.score + (pass ? 1 : 0)) / 5) * 100}%`, background: METER_COLOURS[strength.score] }} />
          </div>
          <p><strong>{pass ? strength.label : 'No passphrase yet'}</strong>{pass ? <span className="muted"> · about {strength.bits} bits</span> : null}</p>
          {strength.hints.length > 0 && <ul className="muted">{strength.hints.map((h) => <li key={h}>{h}</li>)}</ul>}
        </div>
        <Field label="Repeat the passphrase"><input type="password" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="new-password" aria-invalid={mismatch} aria-describedby={mismatch ? 'mismatch' : undefined} required /></Field>
        {mismatch && <p id="mismatch" className="error">The two passphrases differ.</p>}
        {error && <p className="error" role="alert">{error}</p>}
        <button className="btn primary" type="submit" disabled={!canCreate}>{busy ? 'Creating…' : 'Create vault'}</button>
      </form>
    </main>
  );
}
