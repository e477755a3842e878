import { describe, expect, it } from 'vitest';
import { createIpcDispatcher, originOf, type HandlerTable } from '../../electron/main/ipc/dispatch';
import { AtelierError } from '../../shared/errors';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { startMainProcess } from '../support/main-process';
import { tempDir } from '../support/temp-dir';

const APP = { url: 'app://atelier/index.html' };

describe('the IPC dispatcher', () => {
  it('runs a valid call and wraps the value', async () => {
    const main = await startMainProcess(await tempDir(), ['app://atelier']);
    const result = await main.dispatch('settings:update', { theme: 'dark' }, APP);
    expect(result).toEqual({ ok: true, value: { settings: { ...DEFAULT_SETTINGS, theme: 'dark' }, recovery: null } });
  });

  it.each([
    ['a wrong value', { theme: 'purple' }, /theme/],
    ['an unknown key', { apiKey: 'sk-test-123' }, /apiKey/],
    ['a wrong type', 'dark', /input/],
  ])('answers %s with a typed invalid_request error and changes nothing', async (_what, input, mentions) => {
    const main = await startMainProcess(await tempDir(), ['app://atelier']);
    const result = await main.dispatch('settings:update', input, APP);
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(mentions) as unknown, hint: expect.any(String) as unknown },
    });
    expect(main.services.settings.get().settings).toEqual(DEFAULT_SETTINGS);
  });

  it('refuses an argument on a channel that takes none', async () => {
    const main = await startMainProcess(await tempDir(), ['app://atelier']);
    expect(await main.dispatch('settings:get', { sneaky: true }, APP)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('refuses channels that are not in the contract', async () => {
    const main = await startMainProcess(await tempDir(), ['app://atelier']);
    for (const channel of ['settings:delete-everything', '__proto__', 'toString', 42]) {
      expect(await main.dispatch(channel, undefined, APP)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
  });

  it.each([
    ['another site', 'https://evil.example/index.html'],
    ['another app:// host', 'app://evil/index.html'],
    ['a file:// page', 'file:///home/user/page.html'],
    ['a data: URL', 'data:text/html,<h1>hi</h1>'],
    ['about:blank', 'about:blank'],
    ['no frame (destroyed)', undefined],
    ['a malformed URL', 'not a url'],
  ])('refuses a call from %s before looking at the input', async (_what, url) => {
    const main = await startMainProcess(await tempDir(), ['app://atelier']);
    const result = await main.dispatch('settings:update', { theme: 'dark' }, { url });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(main.services.settings.get().settings.theme).toBe('system');
  });

  it('passes on an AtelierError with its code and hint', async () => {
    const handlers = {
      'app:get-info': () => {
        throw new AtelierError('settings_unwritable', 'Could not save.', 'Free some disk space.');
      },
    } as unknown as HandlerTable;
    const dispatch = createIpcDispatcher({ handlers, trustedOrigins: ['app://atelier'] });
    expect(await dispatch('app:get-info', undefined, APP)).toEqual({
      ok: false,
      error: { code: 'settings_unwritable', message: 'Could not save.', hint: 'Free some disk space.' },
    });
  });

  it('hides an unexpected error behind internal_error and reports it to the log', async () => {
    const logged: unknown[] = [];
    const handlers = {
      'app:get-info': () => {
        throw new Error('token=abc123 leaked in a stack');
      },
    } as unknown as HandlerTable;
    const dispatch = createIpcDispatcher({
      handlers,
      trustedOrigins: ['app://atelier'],
      onInternalError: (_channel, error) => logged.push(error),
    });
    const result = await dispatch('app:get-info', undefined, APP);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal_error' } });
    expect(JSON.stringify(result)).not.toContain('abc123');
    expect(logged).toHaveLength(1);
  });

  it('catches a handler that answers off-contract', async () => {
    const handlers = { 'app:get-info': () => ({ name: 'Atelier' }) } as unknown as HandlerTable;
    const dispatch = createIpcDispatcher({ handlers, trustedOrigins: ['app://atelier'] });
    expect(await dispatch('app:get-info', undefined, APP)).toMatchObject({ ok: false, error: { code: 'internal_error' } });
  });
});

describe('originOf', () => {
  it.each([
    ['app://atelier/index.html', 'app://atelier'],
    ['http://127.0.0.1:5173/x?y#z', 'http://127.0.0.1:5173'],
    ['https://example.org', 'https://example.org'],
    ['file:///etc/passwd', null],
    ['about:blank', null],
    ['', null],
    [null, null],
  ])('%s → %s', (url, origin) => {
    expect(originOf(url)).toBe(origin);
  });
});
