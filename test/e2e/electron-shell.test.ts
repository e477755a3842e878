import { execFile, fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/content-security-policy';
import { channelNames } from '../../shared/ipc/channels';
import { createOllamaFake } from '../fakes/ollama-fake';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';

/**
 * The built Electron main bundle (out/main/index.js), run under plain Node with a recording
 * stand-in for the `electron` module (test/support/electron-stand-in): what a real start does,
 * in what order, with which security settings, and what quitting does.
 */
const repoRoot = path.resolve(import.meta.dirname, '../..');
const mainBundle = path.join(repoRoot, 'out/main/index.js');
const register = path.join(repoRoot, 'test/support/electron-stand-in/register.mjs');
const useFakes = useProviderFakes();
let slowPulls: ReturnType<typeof createOllamaFake>;

interface Recorded {
  at: number;
  what: string;
  detail: Record<string, unknown> | null;
}

beforeAll(async () => {
  // main and preload as `npm run build` makes them; the renderer is built by the e2e global setup.
  for (const target of ['main', 'preload']) await promisify(execFile)(process.execPath, ['scripts/build.mjs', `--only=${target}`], { cwd: repoRoot });
  slowPulls = await createOllamaFake({ models: ['llama3.2:3b'], pullSteps: 400, pullStepMs: 25 }).start();
}, 120_000);

afterAll(async () => {
  await slowPulls.close();
});

/** Starts the main bundle as Electron would, and returns a way to drive the stand-in. */
async function startApp(env: Record<string, string | undefined> = {}) {
  const home = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'atelier-shell-'));
  const child: ChildProcess = fork(mainBundle, [], {
    execArgv: ['--import', register],
    env: {
      PATH: process.env.PATH,
      DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
      ATELIER_POLICY_FILE: process.env.ATELIER_POLICY_FILE,
      ATELIER_KEYCHAIN_SERVICE: `Atelier-test-${randomUUID()}`,
      ...useFakes().env,
      ATELIER_HOME: home,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const pending = new Map<string, (message: { ok: boolean; value?: unknown; error?: string }) => void>();
  const events: { event: string }[] = [];
  child.on('message', (message: { id?: string; event?: string; ok: boolean }) => {
    if (message.id) pending.get(message.id)?.(message);
    else if (message.event) events.push(message as { event: string });
  });
  const ask = <T>(action: string, payload: Record<string, unknown> = {}): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = randomUUID();
      pending.set(id, (message) => (message.ok ? resolve(message.value as T) : reject(new Error(message.error))));
      child.send({ id, action, ...payload });
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Until the first window starts loading (or main gave up).
  for (const deadline = Date.now() + 30_000; !events.some((entry) => entry.event === 'window'); ) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`main did not open its window: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    home,
    ask,
    events,
    stderr: () => stderr,
    invoke: (channel: string, input: unknown, frameUrl: string | null = 'app://atelier/index.html') => ask<{ ok: boolean; value?: unknown; error?: { code: string } }>('invoke', { channel, input, frameUrl }),
    stop: async () => {
      if (child.exitCode === null) child.kill();
      await exited;
      await fs.promises.rm(home, { recursive: true, force: true });
    },
  };
}

type App = Awaited<ReturnType<typeof startApp>>;
let app: App;

describe('the Electron main bundle under a recording stand-in', () => {
  beforeAll(async () => {
    app = await startApp();
  }, 60_000);
  afterAll(async () => {
    await app.stop();
  });

  it('starts in the right order: single-instance lock and scheme before ready, every handler before the window loads', async () => {
    const record = await app.ask<Recorded[]>('record');
    const first = (what: string) => record.findIndex((entry) => entry.what === what);
    const last = (what: string) => record.map((entry) => entry.what).lastIndexOf(what);
    expect(first('app.requestSingleInstanceLock')).toBeGreaterThanOrEqual(0);
    expect(first('app.requestSingleInstanceLock')).toBeLessThan(first('ready'));
    expect(record[first('protocol.registerSchemesAsPrivileged')]?.detail).toMatchObject({ ready: false, schemes: [{ scheme: 'app', privileges: { standard: true, secure: true } }] });
    expect(first('protocol.registerSchemesAsPrivileged')).toBeLessThan(first('ready'));
    const load = first('BrowserWindow.loadURL');
    expect(load).toBeGreaterThan(first('ready'));
    for (const before of ['protocol.handle', 'session.setPermissionRequestHandler', 'session.setPermissionCheckHandler', 'session.setDevicePermissionHandler', 'webContents.setWindowOpenHandler']) {
      expect(first(before), before).toBeGreaterThanOrEqual(0);
      expect(first(before), before).toBeLessThan(load);
    }
    expect(last('ipcMain.handle')).toBeLessThan(load);
    expect(record[load]?.detail).toEqual({ url: 'app://atelier/index.html' });
    expect(app.stderr()).toBe('');
  });

  it('opens every window isolated and sandboxed, with a preload that exists in out/', async () => {
    const windows = await app.ask<{ options: { webPreferences: Record<string, unknown>; show: boolean } }[]>('windows');
    expect(windows).toHaveLength(1);
    for (const { options } of windows) {
      const prefs = options.webPreferences;
      expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webviewTag: false, allowRunningInsecureContent: false, experimentalFeatures: false });
      expect(prefs.webSecurity).not.toBe(false);
      expect(prefs).not.toHaveProperty('enableBlinkFeatures');
      expect(options.show).toBe(false); // shown once it has painted, no white flash
      const preload = String(prefs.preload);
      expect(path.relative(path.join(repoRoot, 'out'), preload).startsWith('..')).toBe(false);
      expect(fs.existsSync(preload), preload).toBe(true);
    }
  });

  it('serves out/renderer from app:// with the CSP header; traversal and unknown paths get 404', async () => {
    const get = (url: string) => app.ask<{ status: number; headers: Record<string, string>; body: string }>('request', { url });
    for (const url of ['app://atelier/index.html', 'app://atelier/']) {
      const page = await get(url);
      expect(page.status, url).toBe(200);
      expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(Buffer.from(page.body, 'base64').toString()).toBe(fs.readFileSync(path.join(repoRoot, 'out/renderer/index.html'), 'utf8'));
    }
    const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(fs.readFileSync(path.join(repoRoot, 'out/renderer/index.html'), 'utf8'))?.[1];
    expect((await get(`app://atelier/${script}`)).headers['content-type']).toBe('text/javascript; charset=utf-8');
    for (const url of [
      'app://atelier/../../package.json',
      'app://atelier/%2e%2e/%2e%2e/package.json',
      'app://atelier/..%2f..%2fpackage.json',
      'app://atelier/%2e%2e%5c..%5cpackage.json',
      'app://atelier/assets/%00.js',
      'app://atelier/no-such-file.js',
      'app://other-host/index.html',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(Buffer.from(response.body, 'base64').toString(), url).not.toContain('"name": "atelier"');
    }
  });

  it('denies permissions by default (only writing to the clipboard is allowed), and every device request', async () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'midi', 'openExternal', 'fullscreen', 'clipboard-read']) {
      expect(await app.ask('permission', { permission }), permission).toEqual({ request: false, check: false, device: false });
    }
    expect(await app.ask('permission', { permission: 'clipboard-sanitized-write' })).toMatchObject({ request: true, check: true });
  });

  it('stays on its own origin: navigation and redirects elsewhere are stopped, new windows denied, https links go to the browser', async () => {
    for (const kind of ['will-navigate', 'will-redirect']) {
      for (const url of ['https://example.org/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'app://evil/index.html', 'javascript:alert(1)']) {
        expect(await app.ask('navigate', { url, kind }), `${kind} ${url}`).toEqual({ prevented: true });
      }
      expect(await app.ask('navigate', { url: 'app://atelier/index.html', kind })).toEqual({ prevented: false });
    }
    expect(await app.ask('attachWebview')).toEqual({ prevented: true });
    const https = await app.ask<{ result: { action: string }; opened: string[] }>('openWindow', { url: 'https://ollama.com/download' });
    expect(https.result).toEqual({ action: 'deny' });
    expect(https.opened).toEqual(['https://ollama.com/download']);
    for (const url of ['http://example.org/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://atelier/index.html', 'smb://server/share']) {
      const other = await app.ask<{ result: { action: string }; opened: string[] }>('openWindow', { url });
      expect(other.result, url).toEqual({ action: 'deny' });
      expect(other.opened, url).toEqual(['https://ollama.com/download']);
    }
  });

  it('registers every contract channel exactly once, through the wrapper that checks the sender', async () => {
    const record = await app.ask<Recorded[]>('record');
    const registered = record.filter((entry) => entry.what === 'ipcMain.handle').map((entry) => String(entry.detail?.channel));
    expect([...registered].sort()).toEqual([...channelNames].sort());
    expect(new Set(registered).size).toBe(registered.length);
    // From the app's own page: answered. From any other frame, or none: the typed refusal.
    expect(await app.invoke('settings:get', undefined)).toMatchObject({ ok: true, value: { settings: { privacy: { tier: 'dsgvo_local' } } } });
    for (const frame of ['https://evil.example/', 'app://evil/index.html', 'file:///tmp/x.html', 'http://127.0.0.1:5173/', null]) {
      expect(await app.invoke('settings:get', undefined, frame), String(frame)).toEqual({ ok: false, error: { code: 'forbidden_sender', message: expect.any(String) as unknown } });
    }
    // Malformed input is refused by the same wrapper, before any handler runs.
    expect(await app.invoke('settings:update', { theme: 'neon' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});

describe('quitting the Electron main bundle', () => {
  it('stops running answers and downloads, saves the partial answer, and closes the database', async () => {
    const fakes = useFakes();
    const quitting = await startApp({ OLLAMA_HOST: slowPulls.url });
    try {
      slowPulls.respondWith({ kind: 'answer', chunks: Array.from({ length: 400 }, (_, index) => ` Wort${index}`), chunkDelayMs: 25 });
      await quitting.invoke('settings:update', { chat: { model: FAKE_MODELS.local } });
      const sent = await quitting.invoke('chat:send', { conversationId: null, model: FAKE_MODELS.local, parts: [{ type: 'text', text: 'Erzähl eine lange Geschichte.' }] });
      expect(sent).toMatchObject({ ok: true });
      expect(await quitting.invoke('ollama:pull', { model: 'qwen2.5:7b' })).toMatchObject({ ok: true, value: { started: true } });
      // Both are under way at the fake.
      await expect.poll(() => slowPulls.requests.filter((request) => request.path === '/api/chat' || request.path === '/api/pull').length, { timeout: 10_000 }).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const closedBefore = slowPulls.closedEarly;
      await quitting.ask('quit');
      await expect.poll(() => quitting.events.some((entry) => entry.event === 'quit'), { timeout: 10_000 }).toBe(true);
      // The fake saw both requests closed by the client, not finished.
      expect(slowPulls.closedEarly - closedBefore).toBe(2);
      // The database was closed: SQLite checkpointed and removed its write-ahead log.
      expect(fs.existsSync(path.join(quitting.home, 'atelier.db-wal'))).toBe(false);
      // And the partial answer was saved as it stood, cancelled.
      const { DatabaseSync } = await import('node:sqlite');
      const db = new DatabaseSync(path.join(quitting.home, 'atelier.db'), { readOnly: true });
      const answer = db.prepare("SELECT status, text FROM messages WHERE role = 'assistant'").get() as { status: string; text: string };
      db.close();
      expect(answer.status).toBe('cancelled');
      expect(answer.text).toMatch(/^ Wort0 Wort1/);
      expect(fakes.ollama.requests.filter((request) => request.path === '/api/chat')).toEqual([]);
    } finally {
      await quitting.stop();
    }
  }, 60_000);
});
