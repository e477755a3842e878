import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startMainProcess } from '../support/main-process';
import { runAtelier } from '../support/run-cli';
import { filesContaining } from '../support/secret-scan';
import { keychainEntries } from '../support/secret-tool';
import { tempDir } from '../support/temp-dir';

const PASSWORD = 'Tafel-Kreide-2026';

async function classroom() {
  const home = await tempDir();
  const service = `Atelier-test-${randomUUID()}`;
  const env = { ATELIER_HOME: home, ATELIER_KEYCHAIN_SERVICE: service };
  const atelier = (argv: string[], stdin?: string) => runAtelier(argv, { env, ...(stdin !== undefined && { stdin }) });
  return { home, service, env, atelier };
}

describe('the classroom lock', () => {
  it('locks the privacy setting, providers and keys from the CLI; only the password unlocks', async () => {
    const { home, service, atelier } = await classroom();
    expect(await atelier(['lock'], `${PASSWORD}\n`)).toMatchObject({ code: 0, stdout: expect.stringContaining('Atelier is locked') as unknown });

    // Only a scrypt hash is kept, in the keychain; the password is nowhere.
    const [entry] = await keychainEntries(service);
    expect(entry?.account).toBe('classroom-lock');
    expect(entry?.secret).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(entry?.secret).not.toContain(PASSWORD);
    expect(await filesContaining(home, PASSWORD)).toEqual([]);

    for (const argv of [['privacy', 'set', 'non_dsgvo'], ['config', 'set', 'bedrock.region', 'us-east-1'], ['endpoints', 'add', 'lab', 'http://127.0.0.1:1/v1']]) {
      const result = await atelier(argv);
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.stderr).toContain('Atelier is locked for this class');
    }
    expect((await atelier(['auth', 'set', 'openai'], 'sk-proj-student0123456789')).stderr).toContain('Atelier is locked for this class');
    expect((await atelier(['config', 'set', 'theme', 'dark'])).code).toBe(0); // not protected

    const wrong = await atelier(['unlock'], 'Schwamm-2026\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('not the password of the classroom lock');
    expect((await atelier(['unlock'], `${PASSWORD}\n`)).code).toBe(0);
    expect((await atelier(['privacy', 'set', 'non_dsgvo'])).code).toBe(0);
    expect(await keychainEntries(service)).toEqual([]);
  }, 30_000);

  it('works the same through IPC, and says its state', async () => {
    const { home, env } = await classroom();
    const main = await startMainProcess(home, ['app://atelier'], env);
    const app = { url: 'app://atelier/' };
    expect(await main.dispatch('privacy:lock', { password: 'short' }, app)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await main.dispatch('privacy:lock', { password: PASSWORD }, app)).toMatchObject({ ok: true, value: { classroomLocked: true, tier: 'dsgvo_local' } });
    expect(await main.dispatch('settings:update', { privacy: { tier: 'non_dsgvo' } }, app)).toMatchObject({ ok: false, error: { code: 'settings_locked' } });
    expect(await main.dispatch('providers:set-secret', { name: 'anthropic', value: 'sk-ant-student000000' }, app)).toMatchObject({ ok: false, error: { code: 'settings_locked' } });
    expect(await main.dispatch('settings:update', { theme: 'dark' }, app)).toMatchObject({ ok: true });
    expect(await main.dispatch('privacy:unlock', { password: 'guess-123' }, app)).toMatchObject({ ok: false, error: { code: 'settings_locked' } });
    expect(await main.dispatch('privacy:unlock', { password: PASSWORD }, app)).toMatchObject({ ok: true, value: { classroomLocked: false } });
    expect(await main.dispatch('settings:update', { privacy: { tier: 'non_dsgvo' } }, app)).toMatchObject({ ok: true });
  }, 30_000);

  it('a forgotten password is reset by deleting the keychain entry with the OS’s own tool', async () => {
    const { service, atelier } = await classroom();
    await atelier(['lock'], PASSWORD);
    await promisify(execFile)('secret-tool', ['clear', 'service', service, 'username', 'classroom-lock']);
    expect((await atelier(['privacy', 'set', 'dsgvo_cloud'])).code).toBe(0);
  }, 30_000);
});
