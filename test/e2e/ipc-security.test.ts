import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';
import { launchApp, type RunningApp } from './harness/launch-app';

let app: RunningApp | undefined;
let foreign: http.Server | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
  foreign?.closeAllConnections();
  await new Promise((done) => (foreign ? foreign.close(done) : done(undefined)));
  foreign = undefined;
});

describe('IPC as a page sees it', () => {
  it('answers a malformed payload with a typed validation error', async () => {
    app = await launchApp(await tempDir());
    const result = await app.page.evaluate(() =>
      // Deliberately off-contract, as a compromised renderer might send.
      (window.atelier.invoke as (channel: string, input: unknown) => Promise<unknown>)('settings:update', {
        theme: 'purple',
        apiKey: 'sk-should-not-be-stored',
      }),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(JSON.stringify(result)).toMatch(/theme/);
  });

  it('refuses calls from a page of another origin', async () => {
    app = await launchApp(await tempDir());
    foreign = http.createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>elsewhere</title>');
    });
    await new Promise<void>((done) => foreign?.listen(0, '127.0.0.1', done));
    const { port } = foreign.address() as AddressInfo;

    // The bridge is injected into every page of the context, so the foreign page has
    // window.atelier too: the refusal must come from main's sender check.
    await app.page.goto(`http://127.0.0.1:${port}/`);
    const result = await app.page.evaluate(() => window.atelier.invoke('settings:get'));
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden_sender' }) as unknown });
  });
});
