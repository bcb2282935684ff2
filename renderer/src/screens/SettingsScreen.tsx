import { useEffect, useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { describeError } from '../api/errors';
import { formatDuration } from '../lib/format';
import { passphraseStrength } from '../lib/passphrase-strength';
import { useSession } from '../stores/session';
import { useSettings } from '../stores/settings';

export function SettingsScreen() {
  const settings = useSettings((s) => s.settings);
  const [undo, setUndo] = useState('');
  const [autoLock, setAutoLock] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  const [oldP, setOldP] = useState('');
  const [newP, setNewP] = useState('');
  const [passMsg, setPassMsg] = useState<string | null>(null);
  useEffect(() => {
    setUndo(String(settings.undo_window_seconds ?? ''));
    setAutoLock(String(settings.auto_lock_minutes ?? ''));
  }, [settings.undo_window_seconds, settings.auto_lock_minutes]);

  const saveSettings = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await useSettings.getState().save({ undo_window_seconds: Number(undo), auto_lock_minutes: Number(autoLock) });
      setMsg('Saved.');
    } catch (err) { setMsg(describeError(err)); }
  };
  const changePass = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await useSession.getState().changePassphrase(oldP, newP);
      setOldP(''); setNewP('');
      setPassMsg('Passphrase changed.');
    } catch (err) { setPassMsg(describeError(err)); }
  };
  const strength = passphraseStrength(newP);
  return (
    <section className="screen" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <form className="card" onSubmit={saveSettings} style={{ maxWidth: 520, marginBottom: 16 }}>
        <h2>Safety</h2>
        <Field label="Undo window (seconds)"><input type="number" min={1} max={604800} value={undo} onChange={(e) => setUndo(e.target.value)} aria-describedby="undo-hint" /></Field>
        <p id="undo-hint" className="muted">Now {formatDuration(settings.undo_window_seconds ?? 900)}. Changing it is recorded in the audit log.</p>
        <Field label="Lock automatically after (minutes idle, 0 = never)"><input type="number" min={0} max={1440} value={autoLock} onChange={(e) => setAutoLock(e.target.value)} /></Field>
        <button className="btn primary" type="submit">Save settings</button>
        {msg && <p role="status">{msg}</p>}
      </form>
      <form className="card" onSubmit={changePass} style={{ maxWidth: 520 }}>
        <h2>Change passphrase</h2>
        <Field label="Current passphrase"><input type="password" value={oldP} onChange={(e) => setOldP(e.target.value)} autoComplete="current-password" /></Field>
        <Field label="New passphrase"><input type="password" value={newP} onChange={(e) => setNewP(e.target.value)} autoComplete="new-password" aria-describedby="new-strength" /></Field>
        <p id="new-strength" className="muted">{newP ? strength.label : ''}</p>
        <button className="btn" type="submit" disabled={!oldP || !strength.acceptable}>Change passphrase</button>
        {passMsg && <p role="status">{passMsg}</p>}
      </form>
    </section>
  );
}
