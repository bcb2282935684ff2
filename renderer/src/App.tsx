import { useEffect } from 'react';
import { ConnectionProblem } from './screens/ConnectionProblem';
import { CreateVault } from './screens/CreateVault';
import { RecoveryKey } from './screens/RecoveryKey';
import { Shell } from './screens/Shell';
import { Unlock } from './screens/Unlock';
import { useSession } from './stores/session';
import { useUi } from './stores/ui';

export function App() {
  const phase = useSession((s) => s.phase);
  const problem = useSession((s) => s.problem);
  const recoveryKey = useSession((s) => s.recoveryKey);
  const theme = useUi((s) => s.theme);
  useEffect(() => { document.documentElement.dataset.theme = theme; }, [theme]);

  if (recoveryKey) return <RecoveryKey recoveryKey={recoveryKey} />;
  switch (phase) {
    case 'connecting': return <main className="auth" aria-busy="true"><p className="muted">Connecting…</p></main>;
    case 'unreachable': return <ConnectionProblem problem={problem ?? 'The local host did not answer.'} />;
    case 'create': return <CreateVault />;
    case 'locked': return <Unlock />;
    case 'unlocked': return <Shell />;
  }
}
