import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ProbeResults } from '../../../electron/core/hardware/interpret-hardware';
import { resolveRendererFile } from '../../../electron/main/app-origin';
import { ipcEvents } from '../../../shared/ipc/contract';
import { startMainProcess, type MainProcess } from '../../support/main-process';
import { serveFolder, type StaticServer } from './static-server';

/** The checkout's root: found from this file, which the bench also runs bundled into out/run/. */
function findRepoRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'test/e2e/harness/page-bridge.ts'))) return dir;
  }
  throw new Error(`The Atelier checkout was not found above ${from}.`);
}

export const repoRoot = findRepoRoot(import.meta.dirname);
export const rendererDir = path.join(repoRoot, 'out/renderer');
export const screenshotDir = path.join(repoRoot, 'test-results/e2e');

/** Debian's Chromium; Playwright's own browser download is not available on our machines. */
const CHROMIUM = process.env.ATELIER_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  // The machines have no internet: stop Chromium's own background traffic.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export interface RunningApp {
  page: Page;
  context: BrowserContext;
  main: MainProcess;
  origin: string;
  /** Console errors and uncaught exceptions of the page, CSP violations included. */
  pageErrors: string[];
  close(): Promise<void>;
}

let bridgeScript: Promise<string> | undefined;

/** The page bridge bundled for the browser, once per test file. */
function pageBridge(): Promise<string> {
  bridgeScript ??= build({
    entryPoints: [path.join(repoRoot, 'test/e2e/harness/page-bridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'warning',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return bridgeScript;
}

/**
 * Starts Atelier as the tests see it: the built renderer in Debian's Chromium, served with the
 * app's CSP, with window.atelier built by createAtelierApi and every call going through the
 * real dispatcher and handlers over a real data folder.
 */
export async function launchApp(
  dataDir: string,
  options: { locale?: string; env?: Record<string, string | undefined>; probe?: () => Promise<ProbeResults> } = {},
): Promise<RunningApp> {
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error('out/renderer is missing: the e2e global setup builds it; run the e2e project with vitest.');
  }
  const server: StaticServer = await serveFolder(rendererDir, resolveRendererFile);
  const main = await startMainProcess(dataDir, [server.origin], options.env ?? {}, options.probe);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const context = await browser.newContext({
      locale: options.locale ?? 'en-US',
      colorScheme: 'light',
      viewport: { width: 1100, height: 720 },
    });
    await context.exposeBinding('__atelierInvoke', ({ frame }, channel: unknown, input: unknown) =>
      main.dispatch(channel, input, { url: frame.url() }),
    );
    await context.addInitScript({ content: await pageBridge() });
    const stopForwarding = main.forwardEvents((event, payload) => {
      const checked = ipcEvents[event].parse(payload);
      for (const page of context.pages()) {
        page
          .evaluate(([name, data]) => (window as unknown as { __atelierEmit(e: string, p: unknown): void }).__atelierEmit(name, data), [event, checked] as const)
          .catch(() => undefined); // a page that is closing misses the event, as a closing window would
      }
    });

    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.origin}/index.html`);

    const openedBrowser = browser;
    return {
      page,
      context,
      main,
      origin: server.origin,
      pageErrors,
      close: async () => {
        stopForwarding();
        await openedBrowser.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}
