import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAtelier } from '../support/run-cli';
import { startMainProcess } from '../support/main-process';
import { tempDir } from '../support/temp-dir';

const mode = async (file: string) => (await fs.stat(file)).mode & 0o777;

/** Everything in the data folder, with its permissions, as `ls -l` would show them. */
async function modes(dir: string): Promise<Record<string, string>> {
  const names = await fs.readdir(dir);
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, (await mode(path.join(dir, name))).toString(8)] as const)));
}

describe.skipIf(process.platform === 'win32')('the data folder is private to the user', () => {
  it('the app creates the folder 0700 and every file in it 0600, the database and its journal too', async () => {
    const home = path.join(await tempDir(), 'Atelier');
    const app = { url: 'app://atelier/' };
    const main = await startMainProcess(home, ['app://atelier']);
    await main.dispatch('settings:update', { theme: 'dark' }, app);
    await main.dispatch('conversations:list', undefined, app);
    expect(await mode(home)).toBe(0o700);
    const files = await modes(home);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['settings.json', 'atelier.db', 'atelier.db-wal', 'atelier.db-shm', 'atelier.lock']));
    for (const [name, permissions] of Object.entries(files)) expect(permissions, name).toBe('600');
  });

  it('narrows a folder and database an older Atelier left readable by everyone', async () => {
    const home = await tempDir();
    await fs.chmod(home, 0o755);
    expect((await runAtelier(['conversations', 'list'], { env: { ATELIER_HOME: home } })).code).toBe(0);
    await fs.chmod(path.join(home, 'atelier.db'), 0o644);
    await fs.writeFile(path.join(home, 'settings.json'), '{}', { mode: 0o644 });
    expect((await runAtelier(['config', 'set', 'theme', 'dark'], { env: { ATELIER_HOME: home } })).code).toBe(0);
    expect((await runAtelier(['egress', 'list'], { env: { ATELIER_HOME: home } })).code).toBe(0);
    expect(await mode(home)).toBe(0o700);
    for (const [name, permissions] of Object.entries(await modes(home))) expect(permissions, name).toBe('600');
  });
});
