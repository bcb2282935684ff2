import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connect } from './api/connect';
import { setClient } from './stores/client';
import { wireLiveEvents } from './stores/live-events';
import { useSession } from './stores/session';
import './styles.css';

const connection = connect();
if (connection.client) {
  setClient(connection.client);
  wireLiveEvents(connection.client);
  void useSession.getState().refresh();
} else {
  useSession.getState().setUnreachable(connection.problem);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
