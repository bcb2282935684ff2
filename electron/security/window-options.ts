import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The main window's options, per Electron's security checklist: isolated context, OS sandbox, no
 * Node in the renderer, web security on, no remote content features. Only the preload runs with
 * privileges, and it exposes just call and subscribe.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'MemoryOS',
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // middle-click (auxclick) can open links in new windows outside will-navigate's view
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  };
}
