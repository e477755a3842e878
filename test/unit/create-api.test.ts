import { describe, expect, it } from 'vitest';
import { createAtelierApi, type IpcTransport } from '../../shared/ipc/create-api';

function recordingTransport() {
  const calls: [string, unknown][] = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const transport: IpcTransport = {
    invoke: (channel, input) => {
      calls.push([channel, input]);
      return Promise.resolve({ ok: true, value: 'answer' });
    },
    subscribe: (event, listener) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
  };
  return { transport, calls, listeners };
}

describe('createAtelierApi (the object behind window.atelier)', () => {
  it('exposes invoke and on, and nothing else, frozen', () => {
    const api = createAtelierApi(recordingTransport().transport);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('forwards contract channels to the transport with their input', async () => {
    const { transport, calls } = recordingTransport();
    const api = createAtelierApi(transport);
    expect(await api.invoke('settings:update', { theme: 'dark' })).toEqual({ ok: true, value: 'answer' });
    await api.invoke('app:get-info');
    expect(calls).toEqual([
      ['settings:update', { theme: 'dark' }],
      ['app:get-info', undefined],
    ]);
  });

  it('refuses channels outside the contract without touching the transport', async () => {
    const { transport, calls } = recordingTransport();
    const invoke = createAtelierApi(transport).invoke as (channel: string) => Promise<unknown>;
    for (const channel of ['shell:open-external', 'constructor', '__proto__']) {
      expect(await invoke(channel)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
    expect(calls).toEqual([]);
  });

  it('delivers events to listeners and stops when unsubscribed', () => {
    const { transport, listeners } = recordingTransport();
    const api = createAtelierApi(transport);
    const seen: unknown[] = [];
    const unsubscribe = api.on('settings:changed', (payload) => seen.push(payload));
    listeners.get('settings:changed')?.('first');
    unsubscribe();
    expect(listeners.has('settings:changed')).toBe(false);
    expect(seen).toEqual(['first']);
  });

  it('throws on events outside the contract', () => {
    const on = createAtelierApi(recordingTransport().transport).on as (event: string, cb: () => void) => void;
    expect(() => on('app:secret-changed', () => undefined)).toThrow(/not an Atelier IPC event/);
  });
});
