// A recording stand-in for the `electron` module, for running the built main bundle under plain
// Node (the Electron binary cannot be downloaded on our machines). It implements the parts of
// Electron's API that electron/main uses, records every call in order, and lets a test drive
// the app through the parent process's IPC channel: invoke a contract channel from a frame URL,
// request an app:// URL, navigate, open a window, ask for a permission, quit.
// Started by register.mjs (`node --import ./register.mjs out/main/index.js`).
import { EventEmitter } from 'node:events';

const started = performance.now();
/** Every call main made, in order: { at (ms since start), what, detail }. */
const record = [];
const note = (what, detail = null) => record.push({ at: performance.now() - started, what, detail });

class WebContents extends EventEmitter {
  constructor(window) {
    super();
    this.window = window;
    this.sent = [];
    this.windowOpenHandler = null;
  }
  send(channel, payload) {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(handler) {
    note('webContents.setWindowOpenHandler');
    this.windowOpenHandler = handler;
  }
  /** Emits a cancellable event as Electron does; true when a listener called preventDefault. */
  emitCancellable(name, ...args) {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

const windows = [];
let readyResolved = false;

export class BrowserWindow extends EventEmitter {
  constructor(options = {}) {
    super();
    note('BrowserWindow', { webPreferences: options.webPreferences ?? null, show: options.show ?? true });
    this.options = options;
    this.webContents = new WebContents(this);
    this.loadedUrl = null;
    windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
    // Electron shows a window once its first paint is ready; here, once it "loaded".
  }
  static getAllWindows() {
    return windows.filter((window) => !window.destroyed);
  }
  loadURL(url) {
    note('BrowserWindow.loadURL', { url });
    this.loadedUrl = url;
    // The test (and the start-up bench) learns when the first window starts loading: ms since the process began.
    if (this === windows[0]) process.send?.({ event: 'window', sinceProcessStart: performance.now() });
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  show() {
    note('BrowserWindow.show');
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
}

class App extends EventEmitter {
  constructor() {
    super();
    this.paths = {};
    this.quitting = false;
  }
  setPath(name, value) {
    note('app.setPath', { name, value });
    this.paths[name] = value;
  }
  getPath(name) {
    return this.paths[name] ?? '';
  }
  requestSingleInstanceLock() {
    note('app.requestSingleInstanceLock');
    return process.env.ELECTRON_STAND_IN_SECOND_INSTANCE !== '1';
  }
  whenReady() {
    return readyPromise;
  }
  isReady() {
    return readyResolved;
  }
  quit() {
    note('app.quit');
    if (this.quitting) return;
    this.quitting = true;
    // Electron's order: before-quit (cancellable), will-quit (cancellable), quit.
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.emit('will-quit', { preventDefault: () => (prevented = true) });
    // A listener that stopped the quit may call app.quit() again once it is done, as in Electron.
    if (prevented) {
      this.quitting = false;
      return;
    }
    this.emit('quit');
    note('quit');
    process.send?.({ event: 'quit' });
  }
  exit(code = 0) {
    note('app.exit', { code });
    process.exitCode = code;
  }
}
export const app = new App();

let resolveReady;
const readyPromise = new Promise((resolve) => (resolveReady = resolve));
// Electron is ready once the main script has run; here, once this tick's work is done.
setImmediate(() => {
  note('ready');
  readyResolved = true;
  app.emit('ready');
  resolveReady();
});

export const protocol = {
  handlers: new Map(),
  registerSchemesAsPrivileged(schemes) {
    note('protocol.registerSchemesAsPrivileged', { schemes, ready: readyResolved });
  },
  handle(scheme, handler) {
    note('protocol.handle', { scheme });
    this.handlers.set(scheme, handler);
  },
};

export const ipcMain = {
  handlers: new Map(),
  registrations: [],
  handle(channel, listener) {
    note('ipcMain.handle', { channel });
    this.registrations.push(channel);
    this.handlers.set(channel, listener);
  },
};

class Session {
  constructor() {
    this.permissionRequestHandler = null;
    this.permissionCheckHandler = null;
    this.devicePermissionHandler = null;
  }
  setPermissionRequestHandler(handler) {
    note('session.setPermissionRequestHandler');
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler) {
    note('session.setPermissionCheckHandler');
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler) {
    note('session.setDevicePermissionHandler');
    this.devicePermissionHandler = handler;
  }
}
export const session = { defaultSession: new Session() };

export const shell = {
  opened: [],
  openExternal(url) {
    note('shell.openExternal', { url });
    this.opened.push(url);
    return Promise.resolve();
  },
};

export const nativeTheme = Object.assign(new EventEmitter(), { shouldUseDarkColors: false, themeSource: 'system' });

// What a test asks, through the parent's IPC channel; each answer goes back with the request's id.
const actions = {
  record: () => record,
  async invoke({ channel, input, frameUrl }) {
    const handler = ipcMain.handlers.get(channel);
    if (!handler) return { missing: true };
    const event = { senderFrame: frameUrl === null ? null : { url: frameUrl }, sender: windows[0]?.webContents };
    return handler(event, input);
  },
  async request({ url }) {
    const handler = protocol.handlers.get(new URL(url).protocol.replace(/:$/, ''));
    if (!handler) return { missing: true };
    const response = await handler(new Request(url));
    return { status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()).toString('base64') };
  },
  navigate: ({ url, kind }) => ({ prevented: windows[0].webContents.emitCancellable(kind ?? 'will-navigate', url) }),
  attachWebview: () => ({ prevented: windows[0].webContents.emitCancellable('will-attach-webview', {}, {}) }),
  openWindow({ url }) {
    const result = windows[0].webContents.windowOpenHandler?.({ url, frameName: '', features: '', disposition: 'new-window' });
    return { result: result ?? null, opened: [...shell.opened] };
  },
  permission({ permission }) {
    const { permissionRequestHandler, permissionCheckHandler, devicePermissionHandler } = session.defaultSession;
    return new Promise((resolve) =>
      permissionRequestHandler(windows[0]?.webContents, permission, (granted) =>
        resolve({ request: granted, check: permissionCheckHandler?.(windows[0]?.webContents, permission, 'app://atelier', {}) ?? null, device: devicePermissionHandler?.({}) ?? null }),
      ),
    );
  },
  windows: () => windows.map((window) => ({ options: window.options, loadedUrl: window.loadedUrl })),
  sent: () => windows.flatMap((window) => window.webContents.sent),
  quit() {
    app.quit();
    return { started: true };
  },
};

process.on('message', async (message) => {
  if (!message || typeof message !== 'object' || !('id' in message)) return;
  try {
    const value = await actions[message.action](message);
    process.send?.({ id: message.id, ok: true, value });
  } catch (error) {
    process.send?.({ id: message.id, ok: false, error: String(error?.stack ?? error) });
  }
});

export default { app, BrowserWindow, ipcMain, protocol, session, shell, nativeTheme };
