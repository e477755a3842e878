import os from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, session } from 'electron';
import { probeInWorker } from '../core/hardware/probe-in-worker';
import { resolveDataDir } from '../core/paths';
import { APP_ORIGIN } from './app-origin';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { createIpcDispatcher } from './ipc/dispatch';
import { createHandlers, forwardEvents } from './ipc/handlers';
import { createMainServices } from './ipc/main-services';
import { emitToAllWindows, registerIpc } from './register-ipc';
import { hardenSession, hardenWebContents } from './security';
import { createMainWindow } from './window';

const here = import.meta.dirname;
const preloadPath = path.join(here, '../preload/index.cjs');
const rendererDir = path.join(here, '../renderer');
const probeWorker = path.join(here, 'probe-worker.js');

// Same folder as the CLI: ATELIER_HOME, else the platform's user-data folder for "Atelier".
const dataDir = resolveDataDir({ env: process.env, platform: process.platform, homedir: os.homedir(), cwd: process.cwd() });
app.setPath('userData', dataDir);

registerAppScheme();
hardenWebContents();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.whenReady().then(start, (error: unknown) => {
    console.error('Atelier could not start:', error);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  serveRenderer(rendererDir);

  const services = await createMainServices({
    dataDir,
    env: process.env,
    runtime: { node: process.versions.node, electron: process.versions.electron ?? null, chrome: process.versions.chrome ?? null },
    probe: () => probeInWorker(probeWorker),
  });
  // Quitting stops streams and downloads, waits until each answer is saved as it stands, closes
  // the database, and only then lets Electron quit.
  let closed = false;
  app.on('before-quit', () => {
    services.chat.abortAll();
    services.pulls.cancelAll();
  });
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    void services.close().finally(() => {
      closed = true;
      app.quit();
    });
  });
  registerIpc(
    createIpcDispatcher({
      handlers: createHandlers(services),
      trustedOrigins: [APP_ORIGIN],
      onInternalError: (channel, error) => console.error(`IPC ${channel} failed:`, error),
    }),
  );
  forwardEvents(services, emitToAllWindows);

  const window = createMainWindow(preloadPath);
  // Hardware detection starts once the window is up, in a worker thread: it never delays it.
  window.once('ready-to-show', () => services.hardware.warmUp());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(preloadPath);
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
