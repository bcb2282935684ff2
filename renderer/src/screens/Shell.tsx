import { useEffect } from 'react';
import { describeError } from '../api/errors';
import { Dialog } from '../components/Dialog';
import { MOD, requestLock, SCREENS } from '../hooks/useCommands';
import { useShortcuts } from '../hooks/useShortcuts';
import { useAttachments } from '../stores/attachments';
import { useImport } from '../stores/import';
import { useMemories } from '../stores/memories';
import { usePrivacy } from '../stores/privacy';
import { useProfiles } from '../stores/profiles';
import { hostGone, useSession } from '../stores/session';
import { useSettings } from '../stores/settings';
import { useSpaces } from '../stores/spaces';
import { useSync } from '../stores/sync';
import { useTrash } from '../stores/trash';
import { useUi } from '../stores/ui';
import { useUndo } from '../stores/undo';
import { AuditScreen } from './AuditScreen';
import { CommandPalette } from './CommandPalette';
import { DevicesScreen } from './DevicesScreen';
import { DiagnosticsScreen } from './DiagnosticsScreen';
import { EncryptionScreen } from './EncryptionScreen';
import { ImportDialog } from './ImportDialog';
import { MemoriesScreen } from './MemoriesScreen';
import { PrivacyScreen } from './PrivacyScreen';
import { SettingsScreen } from './SettingsScreen';
import { ShortcutsSheet } from './ShortcutsSheet';
import { SpacesSidebar } from './SpacesSidebar';
import { TrashScreen } from './TrashScreen';
import { UndoBadgeButton, UndoPanel } from './UndoPanel';

/** The host stopped answering: said at the top, and what was decrypted is hidden until it is back. */
function ConnectionBanner() {
  const connection = useSession((s) => s.connection);
  return (
    <div className="conn-banner" role="alert" data-testid="connection-banner">
      <strong>MemoryOS is not answering</strong>: the app’s host may have stopped or restarted. Decrypted content is hidden until the connection is back; nothing you typed is lost.
      {' '}{connection === 'connecting' ? 'Reconnecting…' : 'Trying again…'} If you restarted MemoryOS, open the new link it printed.
    </div>
  );
}

/** Lock was asked while an edit could not be saved: keep editing, or lock and lose it. */
function LockUnsavedDialog() {
  const unsaved = useMemories((s) => s.unsaved);
  const kept = Object.values(unsaved).map((u) => u.title || 'a memory');
  const close = () => useUi.getState().setOverlay(null);
  return (
    <Dialog title="An edit is not saved" onClose={close} testId="lock-unsaved" actions={<>
      <button className="btn primary" type="button" onClick={close} data-autofocus>Keep it, stay unlocked</button>
      <button className="btn danger" type="button" onClick={() => { close(); void requestLock(true); }}>Lock anyway, lose the edit</button>
    </>}>
      <p>{kept.length
        ? <>Your edit of {kept.map((t) => `“${t}”`).join(', ')} could not be saved yet, so locking now would lose it. Open that memory again to save it, or lock anyway.</>
        : <>The last edit of a memory could not be saved, so locking now would lose it. Stay unlocked and it is saved as soon as MemoryOS can, or lock anyway.</>}</p>
    </Dialog>
  );
}

/** The unlocked app: top bar, spaces sidebar, and the current screen. */
export function Shell() {
  const screen = useUi((s) => s.screen);
  const theme = useUi((s) => s.theme);
  const notice = useUi((s) => s.notice);
  const noticeAction = useUi((s) => s.noticeAction);
  const noticeSeq = useUi((s) => s.noticeSeq);
  const overlay = useUi((s) => s.overlay);
  const undoOpen = useUndo((s) => s.open);
  const name = useSession((s) => s.status?.member_name);
  const gone = useSession(hostGone);
  useShortcuts();

  useEffect(() => {
    // a file dropped where nothing takes it would make the browser leave the app to show it
    const keep = (e: DragEvent) => { if (e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files')) e.preventDefault(); };
    window.addEventListener('dragover', keep);
    window.addEventListener('drop', keep);
    return () => { window.removeEventListener('dragover', keep); window.removeEventListener('drop', keep); };
  }, []);

  useEffect(() => {
    // everything a fresh unlock shows, read once; events keep it current from here on
    void Promise.all([
      useSpaces.getState().load(),
      useSettings.getState().load(),
      useUndo.getState().load(),
      useMemories.getState().reload(),
      useProfiles.getState().load(),
    ]).catch((e) => useUi.getState().notify(describeError(e)));
    return () => {
      useSpaces.getState().reset();
      useMemories.getState().reset();
      useUndo.getState().reset();
      useSync.getState().reset();
      useTrash.getState().reset();
      usePrivacy.getState().reset();
      useImport.getState().reset();
      useAttachments.getState().reset();
      useUi.getState().setOverlay(null);
      useUi.getState().notify(null);
      useUi.getState().go('memories'); // after a lock, unlocking starts from the memories again
    };
  }, []);

  useEffect(() => {
    if (!notice) return;
    // a notice with an Undo stays a little longer: there is something to do about it
    const t = setTimeout(() => useUi.getState().notify(null), noticeAction ? 10_000 : 6000);
    return () => clearTimeout(t);
  }, [notice, noticeAction, noticeSeq]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <span className="brand">MemoryOS</span>
        <nav aria-label="Screens">
          {SCREENS.map((n) => (
            <button key={n.screen} type="button" aria-current={screen === n.screen ? 'page' : undefined} onClick={() => useUi.getState().go(n.screen)}>{n.label}</button>
          ))}
        </nav>
        <span className="grow" />
        <button className="btn" type="button" onClick={() => useUi.getState().setOverlay('palette')} aria-label={`Commands (${MOD}+K)`} title={`Command palette (${MOD}+K)`} aria-keyshortcuts={MOD === '⌘' ? 'Meta+K' : 'Control+K'}><kbd>{MOD}+K</kbd></button>
        <button className="btn" type="button" onClick={() => useUi.getState().setOverlay('shortcuts')} aria-label="Keyboard shortcuts" aria-keyshortcuts="?" title="Keyboard shortcuts (?)">?</button>
        <UndoBadgeButton />
        <button className="btn" type="button" onClick={() => useUi.getState().toggleTheme()} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
          <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
        </button>
        <button className="btn" type="button" onClick={() => void requestLock()} title={name ? `Lock ${name}’s vault` : 'Lock'}>Lock</button>
      </header>
      {gone && <ConnectionBanner />}
      {/* hidden, not unmounted: what is being typed stays, and shows again with the connection */}
      <div className="body" hidden={gone}>
        <SpacesSidebar />
        <main className="main" id="main" tabIndex={-1}>
          {screen === 'memories' && <MemoriesScreen />}
          {screen === 'trash' && <TrashScreen />}
          {screen === 'devices' && <DevicesScreen />}
          {screen === 'audit' && <AuditScreen />}
          {screen === 'diagnostics' && <DiagnosticsScreen />}
          {screen === 'privacy' && <PrivacyScreen />}
          {screen === 'settings' && <SettingsScreen />}
          {screen === 'encryption' && <EncryptionScreen />}
        </main>
      </div>
      {!gone && undoOpen && <UndoPanel />}
      {!gone && overlay === 'palette' && <CommandPalette />}
      {!gone && overlay === 'shortcuts' && <ShortcutsSheet />}
      {!gone && overlay === 'lock-unsaved' && <LockUnsavedDialog />}
      {!gone && overlay === 'import' && <ImportDialog onClose={() => useUi.getState().setOverlay(null)} />}
      <div aria-live="polite" role="status" className={notice && !gone ? 'toast' : 'sr-only'} data-testid="notice">
        {!gone && notice}
        {!gone && notice && noticeAction && (
          <button className="btn small" type="button" onClick={() => { const a = noticeAction; useUi.getState().notify(null); void a.run(); }}>{noticeAction.label}</button>
        )}
        {!gone && notice && <button className="btn small" type="button" onClick={() => useUi.getState().notify(null)} aria-label="Dismiss">✕</button>}
      </div>
    </div>
  );
}
