import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from '../../electron/core/settings/settings-store';
import { tempDir } from '../support/temp-dir';

describe.skipIf(process.platform === 'win32')('a settings file moved aside (settings.rejected-*.json)', () => {
  it.each([
    ['unreadable', '{ not json'],
    ['invalid', JSON.stringify({ schemaVersion: 1, theme: 'purple' })],
  ])('is private to the user (0600), however the original was readable: %s', async (_reason, content) => {
    const dir = await tempDir();
    const file = path.join(dir, 'settings.json');
    await fs.writeFile(file, content);
    await fs.chmod(file, 0o644); // as an editor or a copy from another machine leaves it
    const store = await SettingsStore.open(dir);
    const keptAt = store.get().recovery?.keptAt ?? '';
    expect(path.basename(keptAt)).toMatch(/^settings\.rejected-.*\.json$/);
    expect(await fs.readFile(keptAt, 'utf8')).toBe(content);
    expect((await fs.stat(keptAt)).mode & 0o777).toBe(0o600);
  });
});
