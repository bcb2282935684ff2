import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { ApiCallError, describeError } from '../api/errors';
import { useSession } from '../stores/session';

/**
 * The recovery key was shown once and never confirmed — the window was closed or reloaded on it.
 * The core cannot show it again (it keeps only a wrap the key opens), so the person makes a new
 * one after their passphrase; the old one stops working. Nothing else of the vault is reachable
 * from here until that is done: losing the passphrase without a saved key would lose the vault.
 */
export function RecoveryKeyLost() {
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!passphrase) return;
    setError(null);
    setBusy(true);
    try {
      await useSession.getState().replaceRecoveryKey(passphrase);
    } catch (err) {
      setError(err instanceof ApiCallError && (err.code === 'BAD_CREDENTIALS' || err.code === 'INVALID_INPUT')
        ? 'That passphrase is not right: it does not open this vault.' : describeError(err));
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <form className="card" onSubmit={submit} aria-labelledby="rkl-title" data-testid="recovery-key-lost">
        <h1 id="rkl-title">Your recovery key was not saved</h1>
        <p>The window closed before you confirmed that you kept your recovery key, and it cannot be shown again. Without it, a forgotten passphrase would lock you out of this vault for good.</p>
        <p>Make a new recovery kit now. The old key — if you wrote it down after all — stops working.</p>
        <Field label="Your passphrase"><input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)}
          autoComplete="current-password" autoFocus required /></Field>
        {error && <p className="error" role="alert">{error}</p>}
        <button className="btn primary" type="submit" disabled={busy || !passphrase}>{busy ? 'Making a new key…' : 'Make a new recovery kit'}</button>
      </form>
    </main>
  );
}
