import { useEffect } from 'react';
import { describeError } from '../api/errors';
import { useMemories } from '../stores/memories';
import { useSession } from '../stores/session';
import { useSettings } from '../stores/settings';
import { useSpaces } from '../stores/spaces';
import { useSync } from '../stores/sync';
import { useUi, type Screen } from '../stores/ui';
import { useUndo } from '../stores/undo';
import { AuditScreen } from './AuditScreen';
import { DevicesScreen } from './DevicesScreen';
import { DiagnosticsScreen } from './DiagnosticsScreen';
import { MemoriesScreen } from './MemoriesScreen';
import { SettingsScreen } from './SettingsScreen';
import { SpacesSidebar } from './SpacesSidebar';
import { UndoBadgeButton, UndoPanel } from './UndoPanel';

const NAV: { screen: Screen; label: string }[] = [
  { screen: 'memories', label: 'Memories' },
  { screen: 'devices', label: 'Devices & sync' },
  { screen: 'audit', label: 'Audit log' },
  { screen: 'diagnostics', label: 'Diagnostics' },
  { screen: 'settings', label: 'Settings' },
];

/** The unlocked app: top bar, spaces sidebar, and the current screen. */
export function Shell() {
  const screen = useUi((s) => s.screen);
  const theme = useUi((s) => s.theme);
  const notice = useUi((s) => s.notice);
  const undoOpen = useUndo((s) => s.open);
  const name = useSession((s) => s.status?.member_name);

  useEffect(() => {
    // everything a fresh unlock shows, read once; events keep it current from here on
    void Promise.all([
      useSpaces.getState().load(),
      useSettings.getState().load(),
      useUndo.getState().load(),
      useMemories.getState().reload(),
    ]).catch((e) => useUi.getState().notify(describeError(e)));
    return () => {
      useSpaces.getState().reset();
      useMemories.getState().reset();
      useUndo.getState().reset();
      useSync.getState().reset();
      useUi.getState().go('memories'); // after a lock, unlocking starts from the memories again
    };
  }, []);

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => useUi.getState().notify(null), 6000);
    return () => clearTimeout(t);
  }, [notice]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <span className="brand">MemoryOS</span>
        <nav aria-label="Screens">
          {NAV.map((n) => (
            <button key={n.screen} type="button" aria-current={screen === n.screen ? 'page' : undefined} onClick={() => useUi.getState().go(n.screen)}>{n.label}</button>
          ))}
        </nav>
        <span className="grow" />
        <UndoBadgeButton />
        <button className="btn" type="button" onClick={() => useUi.getState().toggleTheme()} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
        <button className="btn" type="button" onClick={() => void useSession.getState().lock()} title={name ? `Lock ${name}’s vault` : 'Lock'}>Lock</button>
      </header>
      <div className="body">
        <SpacesSidebar />
        <main className="main" id="main" tabIndex={-1}>
          {screen === 'memories' && <MemoriesScreen />}
          {screen === 'devices' && <DevicesScreen />}
          {screen === 'audit' && <AuditScreen />}
          {screen === 'diagnostics' && <DiagnosticsScreen />}
          {screen === 'settings' && <SettingsScreen />}
        </main>
      </div>
      {undoOpen && <UndoPanel />}
      <div aria-live="polite" role="status" className={notice ? 'toast' : 'sr-only'} data-testid="notice">
        {notice}
        {notice && <button className="btn small" type="button" onClick={() => useUi.getState().notify(null)} aria-label="Dismiss">✕</button>}
      </div>
    </div>
  );
}
