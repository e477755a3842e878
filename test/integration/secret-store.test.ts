import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { SecretStore } from '../../electron/core/secrets/secret-store';
import { keychainEntries } from '../support/secret-tool';
import { tempDir } from '../support/temp-dir';

const freshStore = () => new SecretStore(`Atelier-test-${randomUUID()}`);

describe('SecretStore against a real Secret Service (private gnome-keyring)', () => {
  it('finds the keychain usable', async () => {
    expect(await freshStore().keychainStatus()).toEqual({ available: true, backend: 'secret-service', problem: null, hint: null });
  });

  it('saves a secret in the keychain, reads it back, lists it masked, and deletes it', async () => {
    const store = freshStore();
    const key = 'sk-ant-api03-keychainTest0123456789abcd';
    expect(await store.set('anthropic', key)).toEqual({ name: 'anthropic', storage: 'keychain', masked: 'sk-a…abcd' });
    expect(await keychainEntries(store.service)).toEqual([{ account: 'anthropic', secret: key }]);
    expect(await store.get('anthropic')).toBe(key);
    expect(await store.list()).toEqual([{ name: 'anthropic', storage: 'keychain', masked: 'sk-a…abcd' }]);
    expect(await store.delete('anthropic')).toBe(true);
    expect(await store.get('anthropic')).toBeNull();
    expect(await keychainEntries(store.service)).toEqual([]);
  });

  it('leaves no probe entry behind', async () => {
    const store = freshStore();
    await store.keychainStatus();
    expect(await keychainEntries(store.service)).toEqual([]);
  });

  it('keeps a session-only secret in memory, never in the keychain', async () => {
    const store = freshStore();
    await store.set('openai', 'sk-proj-sessionOnly0123456789', { sessionOnly: true });
    expect(await store.get('openai')).toBe('sk-proj-sessionOnly0123456789');
    expect(await store.list()).toEqual([{ name: 'openai', storage: 'session', masked: 'sk-p…6789' }]);
    expect(await keychainEntries(store.service)).toEqual([]);
    expect(await new SecretStore(store.service).get('openai')).toBeNull(); // another process would not see it
  });

  it('refuses empty values and values with spaces, saying why', async () => {
    const store = freshStore();
    await expect(store.set('openai', '   ')).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(store.set('openai', 'sk-one two')).rejects.toMatchObject({ code: 'invalid_request', hint: 'Paste only the key, on one line.' });
  });

  it('says the keychain is unavailable when there is no Secret Service, and offers the session', async () => {
    // The keychain library keeps its D-Bus connection for the process: a process of its own.
    const dir = await tempDir();
    const script = path.join(dir, 'no-secret-service.mjs');
    await fs.writeFile(
      path.join(dir, 'entry.ts'),
      `import { SecretStore } from ${JSON.stringify(path.resolve(import.meta.dirname, '../../electron/core/secrets/secret-store.ts'))};
       const store = new SecretStore('Atelier-test-none');
       const status = await store.keychainStatus();
       const refused = await store.set('openai', 'sk-proj-x0123456789').then(() => null, (error) => error.code);
       await store.set('openai', 'sk-proj-x0123456789', { sessionOnly: true });
       console.log(JSON.stringify({ status, refused, kept: await store.get('openai') }));`,
    );
    await build({ entryPoints: [path.join(dir, 'entry.ts')], outfile: script, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
    await fs.symlink(path.resolve(import.meta.dirname, '../../node_modules'), path.join(dir, 'node_modules'));
    const { stdout } = await promisify(execFile)(process.execPath, [script], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/atelier-bus' },
    });
    const result = JSON.parse(stdout) as { status: { available: boolean; hint: string }; refused: string; kept: string };
    expect(result.status).toMatchObject({ available: false, backend: 'none', hint: expect.stringContaining('this session only') as unknown });
    expect(result.refused).toBe('credentials_missing');
    expect(result.kept).toBe('sk-proj-x0123456789');
  }, 30_000);
});
