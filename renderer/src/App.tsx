import { useEffect } from 'react';
import { ConnectionProblem } from './screens/ConnectionProblem';
import { CreateVault } from './screens/CreateVault';
import { RecoveryKey } from './screens/RecoveryKey';
import { RecoveryKeyLost } from './screens/RecoveryKeyLost';
import { Shell } from './screens/Shell';
import { Unlock } from './screens/Unlock';
import { hostGone, leavingLosesSomething, useSession } from './stores/session';
import { useProfiles } from './stores/profiles';
import { useUi } from './stores/ui';

export function App() {
  const phase = useSession((s) => s.phase);
  const problem = useSession((s) => s.problem);
  const recoveryKey = useSession((s) => s.recoveryKey);
  const keyUnconfirmed = useSession((s) => s.status?.recovery_key_confirmed === false);
  const theme = useUi((s) => s.theme);
  const gone = useSession(hostGone);
  // a profile switch draws the app again from scratch, as that profile sees it
  const epoch = useProfiles((s) => s.epoch);
  useEffect(() => { document.documentElement.dataset.theme = theme; }, [theme]);

  // closing or reloading the window with an unsaved edit, or before the recovery key was
  // confirmed, asks first (the browser's own "Leave site?" question)
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!leavingLosesSomething()) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);

  if (recoveryKey) return <RecoveryKey recoveryKey={recoveryKey} />;
  switch (phase) {
    case 'connecting': return <main className="auth" aria-busy="true"><p className="muted">Connecting…</p></main>;
    case 'unreachable': return <ConnectionProblem problem={problem ?? 'The local host did not answer.'} />;
    case 'create': return <CreateVault />;
    case 'locked': return <>{gone && <p className="conn-banner" role="alert" data-testid="connection-banner">MemoryOS is not answering: its host may have stopped. Unlocking waits until it is back (if you restarted it, open the new link it printed).</p>}<Unlock /></>;
    // the key was shown once and never confirmed (the window closed or reloaded on it): a new one first
    case 'unlocked': return keyUnconfirmed ? <RecoveryKeyLost /> : <Shell key={epoch} />;
  }
}
