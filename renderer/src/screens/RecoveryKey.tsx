import { useState } from 'react';
import { useSession } from '../stores/session';

/** Shown once, right after the vault is created: the core never returns the key again. */
export function RecoveryKey({ recoveryKey }: { recoveryKey: string }) {
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try { await navigator.clipboard.writeText(recoveryKey); setCopied(true); } catch { setCopied(false); }
  };
  return (
    <main className="auth">
      <section className="card" aria-labelledby="rk-title">
        <h1 id="rk-title">Your recovery key</h1>
        <p>If you forget your passphrase, this key is the only way back into your vault. It is shown <strong>this one time</strong>: write it down or store it in a password manager, away from this device.</p>
        <p className="recovery-key" data-testid="recovery-key" aria-label="Recovery key">{recoveryKey}</p>
        <div className="row" style={{ margin: '8px 0 14px' }}>
          <button className="btn" type="button" onClick={copy}>Copy to clipboard</button>
          {copied && <span className="ok" role="status">Copied.</span>}
        </div>
        <label className="row" style={{ marginBottom: 12 }}>
          <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
          <span>I have saved my recovery key somewhere safe.</span>
        </label>
        <button className="btn primary" type="button" disabled={!saved} onClick={() => useSession.getState().acknowledgeRecoveryKey()}>
          Continue to my vault
        </button>
      </section>
    </main>
  );
}
