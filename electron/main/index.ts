import os from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, session } from 'electron';
import { describeApp } from '../core/app-info';
import { resolveDataDir } from '../core/paths';
import { createRouterFor } from '../core/chat/settings-router';
import { SettingsStore } from '../core/settings/settings-store';
import { APP_ORIGIN } from './app-origin';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { ChatStreams } from './ipc/chat-streams';
import { createIpcDispatcher } from './ipc/dispatch';
import { createHandlers, forwardEvents, type MainServices } from './ipc/handlers';
import { emitToAllWindows, registerIpc } from './register-ipc';
import { hardenSession, hardenWebContents } from './security';
import { createMainWindow } from './window';

const here = import.meta.dirname;
const preloadPath = path.join(here, '../preload/index.cjs');
const rendererDir = path.join(here, '../renderer');

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

  const settings = await SettingsStore.open(dataDir);
  const chat = new ChatStreams(createRouterFor(settings, process.env));
  const services: MainServices = {
    appInfo: describeApp(dataDir, {
      node: process.versions.node,
      electron: process.versions.electron ?? null,
      chrome: process.versions.chrome ?? null,
    }),
    settings,
    chat,
  };
  app.on('before-quit', () => chat.abortAll());
  registerIpc(
    createIpcDispatcher({
      handlers: createHandlers(services),
      trustedOrigins: [APP_ORIGIN],
      onInternalError: (channel, error) => console.error(`IPC ${channel} failed:`, error),
    }),
  );
  forwardEvents(services, emitToAllWindows);

  createMainWindow(preloadPath);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(preloadPath);
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
