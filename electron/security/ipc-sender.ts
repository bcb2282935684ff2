import { isTrustedAppUrl } from './app-origin';

/** What main knows about the frame an IPC message came from. */
export interface SenderFrame {
  url: string;
  /** the frame is the top frame of its window (not an iframe) */
  isMainFrame: boolean;
  /** the webContents is one of the windows this app created */
  fromOurWindow: boolean;
}

/**
 * IPC is answered only for the app's own top frame: a navigated-away window, an iframe, or any
 * webContents the app did not create gets nothing (Electron checklist: validate the sender).
 */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  return !!frame && frame.fromOurWindow && frame.isMainFrame && isTrustedAppUrl(frame.url);
}
