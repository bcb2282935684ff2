import { useEffect, useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { describeError } from '../api/errors';
import { formatDuration } from '../lib/format';
import { passphraseStrength } from '../lib/passphrase-strength';
import { checkSettings } from '../lib/settings-form';
import { useSession } from '../stores/session';
import { useSettings } from '../stores/settings';
import { useUi } from '../stores/ui';

export function SettingsScreen() {
  const settings = useSettings((s) => s.settings);
  const [undo, setUndo] = useState('');
  const [autoLock, setAutoLock] = useState('');
  const [retention, setRetention] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [oldP, setOldP] = useState('');
  const [newP, setNewP] = useState('');
  const [repeatP, setRepeatP] = useState('');
  const [passMsg, setPassMsg] = useState<{ ok: boolean; text: string } | null>(null);
  // once the person has typed into the form, settings arriving from the host (the first load
  // after unlock, a change made on another device) must not overwrite what they typed
  const [edited, setEdited] = useState(false);
  useEffect(() => {
    if (edited) return;
    setUndo(String(settings.undo_window_seconds ?? ''));
    setAutoLock(String(settings.auto_lock_minutes ?? ''));
    setRetention(String(settings.trash_retention_days ?? ''));
  }, [edited, settings.undo_window_seconds, settings.auto_lock_minutes, settings.trash_retention_days]);
  const edit = (set: (v: string) => void) => (v: string) => { setEdited(true); set(v); };

  const saveSettings = async (e: FormEvent) => {
    e.preventDefault();
    // say what is wanted before asking the host, which would only say "invalid params"
    const checked = checkSettings({ undo, autoLock, retention });
    if ('problem' in checked) { setMsg({ ok: false, text: checked.problem }); return; }
    try {
      await useSettings.getState().save(checked.settings);
      setEdited(false);
      setMsg({ ok: true, text: 'Saved.' });
    } catch (err) { setMsg({ ok: false, text: describeError(err) }); }
  };
  const mismatch = repeatP.length > 0 && repeatP !== newP;
  const strength = passphraseStrength(newP);
  const changePass = async (e: FormEvent) => {
    e.preventDefault();
    if (newP !== repeatP || !strength.acceptable) return;
    try {
      await useSession.getState().changePassphrase(oldP, newP);
      setOldP(''); setNewP(''); setRepeatP('');
      setPassMsg({ ok: true, text: 'Passphrase changed.' });
    } catch (err) { setPassMsg({ ok: false, text: describeError(err) }); }
  };
  return (
    <section className="screen" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <form className="card settings-card" onSubmit={saveSettings} noValidate>
        <h2>Safety</h2>
        <Field label="Undo window (seconds)"><input type="number" min={1} max={604800} value={undo} onChange={(e) => edit(setUndo)(e.target.value)} aria-describedby="undo-hint" /></Field>
        <p id="undo-hint" className="muted">Now {formatDuration(settings.undo_window_seconds ?? 900)}: Amber and Red shares, band changes, deletions and member removals wait this long before anyone else sees them. Changing it is recorded in the audit log.</p>
        <Field label="Lock automatically after (minutes idle, 0 = never)"><input type="number" min={0} max={1440} value={autoLock} onChange={(e) => edit(setAutoLock)(e.target.value)} /></Field>
        <Field label="Keep deleted memories in the trash for (days)"><input type="number" min={1} max={3650} value={retention} onChange={(e) => edit(setRetention)(e.target.value)} aria-describedby="retention-hint" /></Field>
        <p id="retention-hint" className="muted">Items in the trash for more than {settings.trash_retention_days ?? 30} days are erased for good, here and on your other devices. Export and erasure are in the Privacy center.</p>
        <button className="btn primary" type="submit">Save settings</button>
        {msg && <p role="status" className={msg.ok ? 'ok' : 'error'} data-testid="settings-message">{msg.text}</p>}
      </form>
      <form className="card settings-card" onSubmit={changePass}>
        <h2>Change passphrase</h2>
        <Field label="Current passphrase"><input type="password" value={oldP} onChange={(e) => setOldP(e.target.value)} autoComplete="current-password" /></Field>
        <Field label="New passphrase"><input type="password" value={newP} onChange={(e) => setNewP(e.target.value)} autoComplete="new-password" aria-describedby="new-strength" /></Field>
        <p id="new-strength" className="muted">{newP ? strength.label : ''}</p>
        <Field label="Repeat the new passphrase"><input type="password" value={repeatP} onChange={(e) => setRepeatP(e.target.value)} autoComplete="new-password" aria-invalid={mismatch} aria-describedby={mismatch ? 'new-mismatch' : undefined} /></Field>
        {mismatch && <p id="new-mismatch" className="error">The two new passphrases differ.</p>}
        <button className="btn" type="submit" disabled={!oldP || !strength.acceptable || newP !== repeatP}>Change passphrase</button>
        {passMsg && <p role="status" className={passMsg.ok ? 'ok' : 'error'}>{passMsg.text}</p>}
      </form>
      <div className="card settings-card">
        <h2>Privacy</h2>
        <p>What this app encrypts, and the little it keeps in plaintext, is on its own page.</p>
        <button className="btn" type="button" onClick={() => useUi.getState().go('encryption')}>What is encrypted</button>
      </div>
    </section>
  );
}
