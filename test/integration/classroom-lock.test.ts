import { execFile } from 'node:child_process';
import { randomBytes, randomUUID, scryptSync } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { writeSettings } from '../support/settings-file';
import { buildCli } from '../support/built-cli';
import { startMainProcess } from '../support/main-process';
import { runAtelier } from '../support/run-cli';
import { filesContaining } from '../support/secret-scan';
import { keychainEntries } from '../support/secret-tool';
import { tempDir } from '../support/temp-dir';

const PASSWORD = 'Tafel-Kreide-2026';
const useFakes = useProviderFakes();
let cli: string;

beforeAll(async () => {
  cli = await buildCli();
}, 60_000);

/** The built CLI as a separate process, with exactly this environment (no keychain unless given a bus). */
async function builtAtelier(argv: string[], env: Record<string, string | undefined>, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = promisify(execFile)(process.execPath, [cli, ...argv], { env: { PATH: process.env.PATH, ATELIER_POLICY_FILE: process.env.ATELIER_POLICY_FILE, ...env } as NodeJS.ProcessEnv });
  run.child.stdin?.end(stdin);
  return run.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

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

    // Only a scrypt hash is kept, in the data folder (private) and as a copy in the keychain; the password is nowhere.
    const lockFile = JSON.parse(await fs.readFile(path.join(home, 'classroom-lock.json'), 'utf8')) as { locked: boolean; hash: string };
    expect(lockFile).toMatchObject({ locked: true, hash: expect.stringMatching(/^scrypt\$32768\$8\$1\$/) as unknown });
    expect((await fs.stat(path.join(home, 'classroom-lock.json'))).mode & 0o777).toBe(0o600);
    const [entry] = await keychainEntries(service);
    expect(entry?.account).toBe('classroom-lock');
    const copy = JSON.parse(entry?.secret ?? '{}') as { hash: string; pins: { privacy: { tier: string } } };
    expect(copy.hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(copy.hash).toBe(lockFile.hash);
    expect(copy.pins.privacy.tier).toBe('dsgvo_local');
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

  it('a forgotten password is reset by the administrator: the lock file and its keychain copy', async () => {
    const { home, service, atelier } = await classroom();
    await atelier(['lock'], PASSWORD);
    await promisify(execFile)('secret-tool', ['clear', 'service', service, 'username', 'classroom-lock']);
    // The keychain copy alone is not the lock: the data folder still says locked.
    expect((await atelier(['privacy', 'set', 'dsgvo_cloud'])).code).toBe(1);
    await fs.rm(path.join(home, 'classroom-lock.json'));
    expect((await atelier(['privacy', 'set', 'dsgvo_cloud'])).code).toBe(0);
  }, 30_000);

  it('fails closed: no keychain, another keychain name, another data folder or a damaged lock file never unlock', async () => {
    const { home, service, env, atelier } = await classroom();
    expect((await atelier(['lock'], PASSWORD)).code).toBe(0);
    const refused = (result: { code: number; stderr: string }, what: string) => {
      expect(result.code, what).toBe(1);
      expect(result.stderr, what).toMatch(/Error: Atelier is locked for this class/);
      expect(result.stderr, what).toMatch(/Hint: /);
    };
    // The keychain cannot be reached at all (no D-Bus session), in a process of its own.
    const noBus = { ...env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/atelier-bus' };
    refused(await builtAtelier(['privacy', 'set', 'non_dsgvo'], noBus), 'no D-Bus');
    refused(await builtAtelier(['privacy', 'set', 'non_dsgvo'], { ...env, DBUS_SESSION_BUS_ADDRESS: undefined }), 'D-Bus unset');
    refused(await builtAtelier(['endpoints', 'add', 'lab', 'http://127.0.0.1:1/v1'], noBus), 'endpoints, no D-Bus');
    refused(await builtAtelier(['config', 'set', 'ollama.host', 'http://10.1.2.3:11434'], noBus), 'ollama.host, no D-Bus');
    // Another keychain service name.
    refused(await atelier(['privacy', 'set', 'non_dsgvo']).then((result) => result, () => ({ code: -1, stderr: '' })), 'same service');
    refused(await runAtelier(['privacy', 'set', 'non_dsgvo'], { env: { ATELIER_HOME: home, ATELIER_KEYCHAIN_SERVICE: `Atelier-other-${randomUUID()}` } }), 'another service');
    // Another data folder on the same keychain: the lock's copy there still holds.
    refused(await runAtelier(['privacy', 'set', 'non_dsgvo'], { env: { ATELIER_HOME: await tempDir(), ATELIER_KEYCHAIN_SERVICE: service } }), 'another data folder');
    // The tier did not move.
    expect((await atelier(['privacy', 'show', '--json'])).stdout).toContain('"tier": "dsgvo_local"');

    // A damaged lock file is a lock that cannot be checked: everything guarded is refused, and it says so.
    await fs.writeFile(path.join(home, 'classroom-lock.json'), '{"locked": tru');
    const damaged = await builtAtelier(['privacy', 'set', 'non_dsgvo'], noBus);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toContain('the lock cannot be checked');
    expect((await builtAtelier(['unlock'], noBus, `${PASSWORD}\n`)).stderr).toContain('the lock cannot be checked');
  }, 60_000);

  it('pins what was in force: a hand-edited settings file, an address variable or a lock file saying "unlocked" change nothing while locked', async () => {
    const fakes = useFakes();
    const { home, service, env, atelier } = await classroom();
    const cloud = { ...env, ...fakes.env };
    await writeSettings(home, { privacy: { tier: 'dsgvo_local' } });
    expect((await runAtelier(['lock'], { env: cloud, stdin: PASSWORD })).code).toBe(0);
    const before = { openai: fakes.openai.requests.length, anthropic: fakes.anthropic.requests.length };

    // A student edits settings.json by hand.
    const file = path.join(home, 'settings.json');
    const saved = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
    await fs.writeFile(file, JSON.stringify({ ...saved, privacy: { tier: 'non_dsgvo' } }));
    expect(JSON.parse((await runAtelier(['privacy', 'show', '--json'], { env: cloud })).stdout)).toMatchObject({ tier: 'dsgvo_local', classroomLocked: true });
    expect(JSON.parse((await runAtelier(['doctor', '--json'], { env: cloud })).stdout)).toMatchObject({ privacy: { tier: 'dsgvo_local', classroomLocked: true } });
    expect(JSON.parse((await runAtelier(['chat', '--json', '-m', FAKE_MODELS.openai, 'hi'], { env: cloud })).stdout)).toMatchObject({ error: { code: 'policy_denied' } });

    // The same student, in a data folder of their own that says "any provider", on the same keychain.
    const own = await tempDir();
    await fs.writeFile(path.join(own, 'settings.json'), JSON.stringify({ privacy: { tier: 'non_dsgvo' } }));
    expect(JSON.parse((await runAtelier(['chat', '--json', '-m', FAKE_MODELS.anthropic, 'hi'], { env: { ...cloud, ATELIER_HOME: own, ATELIER_KEYCHAIN_SERVICE: service } })).stdout)).toMatchObject({ error: { code: 'policy_denied' } });

    // The lock file rewritten to "unlocked" while the keychain's copy is there.
    await fs.writeFile(path.join(home, 'classroom-lock.json'), '{"locked": false}');
    expect((await atelier(['privacy', 'set', 'non_dsgvo'])).stderr).toContain('Atelier is locked for this class');
    expect(fakes.openai.requests.length).toBe(before.openai);
    expect(fakes.anthropic.requests.length).toBe(before.anthropic);
  }, 60_000);

  it('keeps the address variables of the moment it was locked: a new ANTHROPIC_BASE_URL does not get the teacher’s key', async () => {
    const fakes = useFakes();
    const { home, env } = await classroom();
    const cloud = { ...env, ...fakes.env };
    await writeSettings(home, { privacy: { tier: 'non_dsgvo' } });
    expect((await runAtelier(['lock'], { env: cloud, stdin: PASSWORD })).code).toBe(0);
    const received: string[] = [];
    const collector = http.createServer((request, response) => {
      received.push(`${request.method} ${request.url} ${String(request.headers['x-api-key'] ?? '')}`);
      response.statusCode = 500;
      response.end();
    });
    await new Promise<void>((done) => collector.listen(0, '127.0.0.1', done));
    try {
      const elsewhere = { ...cloud, ANTHROPIC_BASE_URL: `http://127.0.0.1:${(collector.address() as AddressInfo).port}` };
      const before = fakes.anthropic.requests.length;
      expect((await runAtelier(['chat', '-m', FAKE_MODELS.anthropic, 'hi'], { env: elsewhere })).code).toBe(0);
      expect(received).toEqual([]);
      expect(fakes.anthropic.requests.length).toBe(before + 1);
    } finally {
      await new Promise((done) => collector.close(done));
    }
  }, 60_000);

  it('says when the keychain could not take its copy, and that unlocking an open lock changes nothing', async () => {
    const { env } = await classroom();
    const noBus = { ...env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/atelier-bus' };
    const locked = await builtAtelier(['lock'], noBus, PASSWORD);
    expect(locked.code).toBe(0);
    expect(locked.stderr).toContain('the lock holds for this data folder only');
    expect((await builtAtelier(['unlock'], noBus, `${PASSWORD}\n`)).stdout).toBe('Atelier is unlocked.\n');
    const again = await builtAtelier(['unlock'], noBus, 'whatever\n');
    expect(again).toMatchObject({ code: 0, stdout: 'Atelier is not locked; nothing was changed.\n' });
  }, 60_000);

  it('trusts the keychain’s copy over the data folder’s file, and no policy file of the student’s own loosens a locked tier', async () => {
    const fakes = useFakes();
    const { home, env, atelier } = await classroom();
    const cloud = { ...env, ...fakes.env };
    await writeSettings(home, { privacy: { tier: 'dsgvo_local' } });
    expect((await runAtelier(['lock'], { env: cloud, stdin: PASSWORD })).code).toBe(0);
    const lockFile = path.join(home, 'classroom-lock.json');
    const stored = JSON.parse(await fs.readFile(lockFile, 'utf8')) as { hash: string; pins: { privacy: { tier: string } } };

    // Pins edited in the file: the keychain copy's pins stand.
    await fs.writeFile(lockFile, JSON.stringify({ ...stored, pins: { ...stored.pins, privacy: { tier: 'non_dsgvo' } } }));
    expect(JSON.parse((await runAtelier(['privacy', 'show', '--json'], { env: cloud })).stdout)).toMatchObject({ tier: 'dsgvo_local' });
    // A hash of the student's own password in the file: it does not unlock.
    const salt = randomBytes(16);
    const own = scryptSync('student-pw-1', salt, 32, { N: 32768, r: 8, p: 1, maxmem: 2 ** 27 });
    await fs.writeFile(lockFile, JSON.stringify({ ...stored, hash: `scrypt$32768$8$1$${salt.toString('base64')}$${own.toString('base64')}` }));
    expect((await atelier(['unlock'], 'student-pw-1\n')).stderr).toContain('not the password of the classroom lock');
    // A policy file named by ATELIER_POLICY_FILE is not read while locked.
    const loose = path.join(home, 'loose-policy.json');
    await fs.writeFile(loose, JSON.stringify({ tier: 'non_dsgvo' }));
    const before = fakes.anthropic.requests.length;
    expect(JSON.parse((await runAtelier(['privacy', 'show', '--json'], { env: { ...cloud, ATELIER_POLICY_FILE: loose } })).stdout)).toMatchObject({ tier: 'dsgvo_local' });
    expect(JSON.parse((await runAtelier(['chat', '--json', '-m', FAKE_MODELS.anthropic, 'hi'], { env: { ...cloud, ATELIER_POLICY_FILE: loose } })).stdout)).toMatchObject({ error: { code: 'policy_denied' } });
    expect(fakes.anthropic.requests.length).toBe(before);
    // The teacher's own password still opens it.
    expect((await atelier(['unlock'], `${PASSWORD}\n`)).stdout).toBe('Atelier is unlocked.\n');
  }, 60_000);

  it('refuses to run through a proxy Node would use on its own (NODE_USE_ENV_PROXY)', async () => {
    const result = await builtAtelier(['chat', '-m', 'local/llama3.2:3b', 'hi'], { NODE_USE_ENV_PROXY: '1', HTTP_PROXY: 'http://127.0.0.1:9' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('NODE_USE_ENV_PROXY');
  }, 30_000);
});
