import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../electron/core/settings/settings-store';
import type { SettingsState } from '../../shared/settings';
import { buildCli } from '../support/built-cli';
import { writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';

let cli: string;

beforeAll(async () => {
  cli = await buildCli();
}, 60_000);

function atelier(home: string, argv: string[]): Promise<{ code: number; stderr: string }> {
  return promisify(execFile)(process.execPath, [cli, ...argv], {
    env: { PATH: process.env.PATH, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS, ATELIER_HOME: home, ATELIER_KEYCHAIN_SERVICE: 'Atelier-test-concurrency', ATELIER_POLICY_FILE: process.env.ATELIER_POLICY_FILE },
  }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
}

describe('settings changed by several processes at once', () => {
  it('loses no change: privacy set races config set in separate processes, and every change stands', async () => {
    for (let round = 0; round < 8; round++) {
      const home = await tempDir();
      await writeSettings(home, { privacy: { tier: 'non_dsgvo' } });
      const results = await Promise.all([
        atelier(home, ['config', 'set', 'theme', 'dark']),
        atelier(home, ['privacy', 'set', 'dsgvo_local']),
        atelier(home, ['config', 'set', 'ollama.numCtx', '16384']),
        atelier(home, ['config', 'set', 'language', 'de']),
      ]);
      for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
      const saved = JSON.parse(await fs.readFile(path.join(home, 'settings.json'), 'utf8')) as Record<string, Record<string, unknown> | string>;
      expect({ round, tier: (saved.privacy as Record<string, unknown>).tier, theme: saved.theme, numCtx: (saved.ollama as Record<string, unknown>).numCtx, language: saved.language }).toEqual({
        round,
        tier: 'dsgvo_local',
        theme: 'dark',
        numCtx: 16384,
        language: 'de',
      });
    }
  }, 120_000);

  it('the app and a command in the same moment: neither change is lost, and the app sees the command’s', async () => {
    const home = await tempDir();
    const app = await SettingsStore.open(home);
    const seen: SettingsState[] = [];
    app.subscribe((state) => seen.push(state));
    const stopWatching = app.watch();
    try {
      await Promise.all([atelier(home, ['privacy', 'set', 'dsgvo_cloud']), app.update({ theme: 'light' }), app.update({ hardware: { vramOverrideGb: 8 } })]);
      const onDisk = JSON.parse(await fs.readFile(path.join(home, 'settings.json'), 'utf8')) as { privacy: { tier: string }; theme: string; hardware: { vramOverrideGb: number } };
      expect([onDisk.privacy.tier, onDisk.theme, onDisk.hardware.vramOverrideGb]).toEqual(['dsgvo_cloud', 'light', 8]);
      // The app learns of the command's change without being told: it watches the file.
      await expect.poll(() => app.get().settings.privacy.tier, { timeout: 10_000 }).toBe('dsgvo_cloud');
      await atelier(home, ['config', 'set', 'language', 'de']);
      await expect.poll(() => seen.at(-1)?.settings.language, { timeout: 10_000 }).toBe('de');
      expect(app.get().settings).toMatchObject({ theme: 'light', language: 'de', privacy: { tier: 'dsgvo_cloud' } });
    } finally {
      stopWatching();
    }
  }, 60_000);
});
