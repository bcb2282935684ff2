import { Fragment, useId, useState } from 'react';
import { describeError } from '../api/errors';
import { useSession } from '../stores/session';

/** The kit as a text file: the key, whose vault it opens, and how to use and keep it. */
export function kitText(key: string, name: string | null | undefined, createdAt: string | null | undefined): string {
  const when = createdAt ? new Date(createdAt).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' }) : new Date().toLocaleDateString();
  return [
    'MemoryOS recovery kit',
    '',
    `Vault: ${name ? `${name}’s vault` : 'your vault'}, created ${when}.`,
    '',
    'Recovery key:',
    key,
    '',
    'If you forget your passphrase, this key is the only way back into the vault: on the Unlock',
    'screen choose "Recovery key" and type it in. Anyone who has it can open the vault, so keep it',
    'somewhere safe and away from the device: on paper in a drawer, or in a password manager.',
    'Do not send it by e-mail or message, and do not keep it next to the computer.',
    '',
  ].join('\n');
}

/**
 * Shown once, right after the vault is created: the core never returns the key again. The kit is
 * printed or saved as a file, and the person proves they have it by typing its last group back.
 * Leaving the window before that asks first (App's beforeunload).
 */
export function RecoveryKey({ recoveryKey }: { recoveryKey: string }) {
  const name = useSession((s) => s.status?.member_name);
  const createdAt = useSession((s) => s.status?.created_at);
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState(false);
  const [fileSaved, setFileSaved] = useState(false);
  const [check, setCheck] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const checkId = useId();
  const groups = recoveryKey.split('-');
  const last = groups[groups.length - 1];
  const typed = check.trim().toUpperCase();
  const matches = typed === last.toUpperCase();
  const wrong = typed.length >= last.length && !matches;

  const copy = async () => {
    try { await navigator.clipboard.writeText(recoveryKey); setCopied(true); } catch { setCopied(false); }
  };
  const saveFile = () => {
    const blob = new Blob([kitText(recoveryKey, name, createdAt)], { type: 'text/plain;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `MemoryOS recovery kit${name ? ` - ${name.replace(/[\\/:*?"<>|]/g, '')}` : ''}.txt`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setFileSaved(true);
  };

  return (
    <main className="auth">
      <section className="card kit" aria-labelledby="rk-title">
        <h1 id="rk-title">Your recovery kit</h1>
        <p>If you forget your passphrase, this key is the only way back into your vault. It is shown <strong>this one time</strong>: print the kit or save it as a file, and keep it away from this device (on paper, or in a password manager).</p>
        <p className="recovery-key" data-testid="recovery-key" aria-label="Recovery key">
          {groups.map((g, i) => (
            <Fragment key={i}>{i > 0 && <>-<wbr /></>}<span className="rk-group">{g}</span></Fragment>
          ))}
        </p>
        <div className="print-only kit-print" aria-hidden="true">
          <pre>{kitText(recoveryKey, name, createdAt)}</pre>
        </div>
        <div className="row no-print" style={{ margin: '8px 0 14px', flexWrap: 'wrap' }}>
          <button className="btn" type="button" onClick={() => window.print()}>Print the kit</button>
          <button className="btn" type="button" onClick={saveFile}>Save as a file</button>
          <button className="btn" type="button" onClick={copy}>Copy to clipboard</button>
          {copied && <span className="ok" role="status">Copied.</span>}
          {fileSaved && !copied && <span className="ok" role="status">Saved to your downloads: move it somewhere safe.</span>}
        </div>
        <div className="no-print">
          <label className="row" style={{ marginBottom: 12 }}>
            <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
            <span>I have saved my recovery key somewhere safe.</span>
          </label>
          <div className="field">
            <label htmlFor={checkId}>Type the last group of your key</label>
            <input id={checkId} type="text" className="mono group-check" value={check} onChange={(e) => setCheck(e.target.value)} maxLength={12}
              autoComplete="off" spellCheck={false} aria-describedby={`${checkId}-hint`} aria-invalid={wrong} />
            <p id={`${checkId}-hint`} className={wrong ? 'error' : 'muted'}>
              {wrong ? 'That is not the last group of the key above.' : matches ? 'That matches.' : `The ${groups.length} groups of four, the last one: from the kit you saved, not from the screen.`}
            </p>
          </div>
          <button className="btn primary" type="button" disabled={!saved || !matches}
            onClick={() => { setFailure(null); useSession.getState().acknowledgeRecoveryKey().catch((e: unknown) => setFailure(describeError(e))); }}>
            Continue to my vault
          </button>
          {failure && <p className="error" role="alert">{failure}</p>}
        </div>
      </section>
    </main>
  );
}
