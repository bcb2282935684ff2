import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { ApiCallError, describeError } from '../api/errors';
import { useSession } from '../stores/session';

type Mode = 'passphrase' | 'recovery';

const wrong = (mode: Mode) => (mode === 'passphrase'
  ? 'That passphrase is not right: it does not open this vault.'
  : 'That recovery key is not right: it does not open this vault.');

export function Unlock() {
  const [mode, setMode] = useState<Mode>('passphrase');
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = useSession((s) => s.status?.member_name);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!secret) return;
    setError(null);
    // a passphrase is at least 8 characters and a recovery key at least 10: shorter ones are wrong
    // without asking the host (which would only say its params were invalid)
    if (mode === 'passphrase' ? secret.length < 8 : secret.trim().length < 10) { setError(wrong(mode)); return; }
    setBusy(true);
    try {
      await useSession.getState().unlock(mode === 'passphrase' ? { passphrase: secret } : { recovery_key: secret.trim() });
      setSecret('');
    } catch (err) {
      setError(err instanceof ApiCallError && (err.code === 'BAD_CREDENTIALS' || err.code === 'INVALID_INPUT') ? wrong(mode) : describeError(err));
      setBusy(false);
    }
  };

  const tab = (m: Mode, label: string) => (
    <button type="button" role="tab" id={`tab-${m}`} aria-selected={mode === m} aria-controls="unlock-panel" onClick={() => { setMode(m); setSecret(''); setError(null); }}>
      {label}
    </button>
  );

  return (
    <main className="auth">
      <form className="card" onSubmit={submit} aria-labelledby="unlock-title">
        <h1 id="unlock-title">Unlock{name ? ` ${name}’s` : ' your'} vault</h1>
        <div className="tabs" role="tablist" aria-label="Unlock with">
          {tab('passphrase', 'Passphrase')}
          {tab('recovery', 'Recovery key')}
        </div>
        <div id="unlock-panel" role="tabpanel" aria-labelledby={`tab-${mode}`}>
          <Field label={mode === 'passphrase' ? 'Passphrase' : 'Recovery key'}><input
              type={mode === 'passphrase' ? 'password' : 'text'}
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              autoComplete={mode === 'passphrase' ? 'current-password' : 'off'}
              spellCheck={false}
              placeholder={mode === 'recovery' ? 'XXXX-XXXX-…' : undefined}
              autoFocus
              required
            /></Field>
        </div>
        {error && <p className="error" role="alert">{error}</p>}
        <button className="btn primary" type="submit" disabled={busy || !secret}>{busy ? 'Unlocking…' : 'Unlock'}</button>
      </form>
    </main>
  );
}
