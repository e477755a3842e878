import os from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, session } from 'electron';
import { resolveDataDir } from '../core/paths';
import { ENVIRONMENT_PROXY_HINT, environmentProxyProblem } from '../core/privacy/env-proxy';
import { APP_ORIGIN } from './app-origin';
import { registerAppScheme, serveRenderer } from './app-protocol';
import type { IpcDispatch } from './ipc/dispatch';
import type { MainServices } from './ipc/handlers';
import { registerIpc } from './register-ipc';
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

// A proxy Node would send every request through is a road past the privacy check: refuse it.
const proxyProblem = environmentProxyProblem(process.env, process.execArgv);
if (proxyProblem !== null) {
  console.error(`Atelier will not start: ${proxyProblem} ${ENVIRONMENT_PROXY_HINT}`);
  app.exit(2);
}

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
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('Atelier could not start:', error);
      app.exit(1);
    });
}

/**
 * The engine: settings, the database, the router and the IPC dispatcher. Its modules (zod, core)
 * load here, after the window was asked for, so the window never waits for them.
 */
async function loadEngine(): Promise<{ services: MainServices; dispatch: IpcDispatch }> {
  const [{ createMainServices }, { createHandlers }, { createIpcDispatcher }, { probeInWorker }] = await Promise.all([
    import('./ipc/main-services'),
    import('./ipc/handlers'),
    import('./ipc/dispatch'),
    import('../core/hardware/probe-in-worker'),
  ]);
  const services = await createMainServices({
    dataDir,
    env: process.env,
    runtime: { node: process.versions.node, electron: process.versions.electron ?? null, chrome: process.versions.chrome ?? null },
    probe: () => probeInWorker(probeWorker),
  });
  const dispatch = createIpcDispatcher({
    handlers: createHandlers(services),
    trustedOrigins: [APP_ORIGIN],
    onInternalError: (channel, error) => console.error(`IPC ${channel} failed:`, error),
  });
  return { services, dispatch };
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  serveRenderer(rendererDir);

  // Every channel is registered before the window loads; a call that arrives while the engine
  // still loads waits for it, then goes through the same dispatcher (sender check first).
  let engineLoaded: (engine: Promise<Awaited<ReturnType<typeof loadEngine>>>) => void = () => undefined;
  const engine = new Promise<Awaited<ReturnType<typeof loadEngine>>>((resolve) => (engineLoaded = resolve));
  registerIpc((channel, input, sender) => engine.then(({ dispatch }) => dispatch(channel, input, sender)));
  const window = createMainWindow(preloadPath);
  // Loading the engine's modules takes the main thread for a while: only once the window is on its way.
  setImmediate(() => engineLoaded(loadEngine()));
  let shown = false;
  window.once('ready-to-show', () => (shown = true));

  const [{ services }, { forwardEvents }, { emitToAllWindows }] = await Promise.all([engine, import('./ipc/handlers'), import('./emit-to-windows')]);
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
  forwardEvents(services, emitToAllWindows);

  // Hardware detection starts once the window is up, in a worker thread: it never delays it.
  if (shown) services.hardware.warmUp();
  else window.once('ready-to-show', () => services.hardware.warmUp());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(preloadPath);
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
