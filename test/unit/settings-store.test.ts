import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from '../../electron/core/settings/settings-store';
import { AtelierError } from '../../shared/errors';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { tempDir } from '../support/temp-dir';

const fixedClock = () => new Date('2026-11-22T08:30:00.000Z');

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
}

describe('SettingsStore', () => {
  it('starts with defaults and writes nothing when there is no file yet', async () => {
    const dir = await tempDir();
    const store = await SettingsStore.open(dir);
    expect(store.get()).toEqual({ settings: DEFAULT_SETTINGS, recovery: null });
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('saves an update to the file and leaves no temp file behind', async () => {
    const dir = await tempDir();
    const store = await SettingsStore.open(dir);
    const state = await store.update({ theme: 'dark' });
    expect(state.settings.theme).toBe('dark');
    expect(await readJson(path.join(dir, 'settings.json'))).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    // The settings file, and the data folder's lock (an empty SQLite file, locked while a change is written).
    expect((await fs.readdir(dir)).sort()).toEqual(['atelier.lock', 'settings.json']);
    // A second store (the CLI, the next start) reads the same values.
    expect((await SettingsStore.open(dir)).get().settings.theme).toBe('dark');
  });

  it('creates the data folder when it does not exist yet', async () => {
    const dir = path.join(await tempDir(), 'nested', 'Atelier');
    const store = await SettingsStore.open(dir);
    await store.update({ language: 'de' });
    expect(await readJson(path.join(dir, 'settings.json'))).toMatchObject({ language: 'de' });
  });

  it('keeps a corrupt file aside, byte for byte, and starts with defaults', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'settings.json'), '{ not json');
    const store = await SettingsStore.open(dir, fixedClock);

    const keptAt = path.join(dir, 'settings.rejected-2026-11-22T08-30-00-000Z.json');
    expect(store.get()).toEqual({
      settings: DEFAULT_SETTINGS,
      recovery: { reason: 'unreadable', problems: [expect.stringMatching(/not valid JSON/)], keptAt },
    });
    expect(await fs.readFile(keptAt, 'utf8')).toBe('{ not json');
    // The repaired file is valid again, so the next start is clean.
    expect(await readJson(path.join(dir, 'settings.json'))).toEqual(DEFAULT_SETTINGS);
    expect((await SettingsStore.open(dir)).get().recovery).toBeNull();
  });

  it.each([
    ['an array', '[1, 2]'],
    ['a string', '"dark"'],
    ['nothing at all', ''],
  ])('treats a file holding %s as unreadable', async (_what, text) => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'settings.json'), text);
    const store = await SettingsStore.open(dir);
    expect(store.get().recovery?.reason).toBe('unreadable');
    expect(await fs.readFile(store.get().recovery?.keptAt ?? '', 'utf8')).toBe(text);
  });

  it('keeps the valid values of a partly wrong file and reports each wrong or unknown one', async () => {
    const dir = await tempDir();
    const original = JSON.stringify({ schemaVersion: 1, language: 'de', theme: 'purple', fontSize: 14 });
    await fs.writeFile(path.join(dir, 'settings.json'), original);
    const store = await SettingsStore.open(dir, fixedClock);

    const { settings, recovery } = store.get();
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, language: 'de' });
    expect(recovery?.reason).toBe('invalid');
    expect(recovery?.problems).toEqual([
      expect.stringMatching(/^theme: .*"purple"/),
      'fontSize: not a setting this version of Atelier knows',
    ]);
    expect(await fs.readFile(recovery?.keptAt ?? '', 'utf8')).toBe(original);
  });

  it('keeps the good values inside a group that has a wrong one (a budget keeps its valid limit)', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 1, budget: { dailyUsd: 0.5, monthlyUsd: '3' }, ollama: { numCtx: 16384, keepAlive: 'soon' } }));
    const { settings, recovery } = (await SettingsStore.open(dir, fixedClock)).get();
    expect(settings.budget).toEqual({ dailyUsd: 0.5, monthlyUsd: null });
    expect(settings.ollama).toEqual({ ...DEFAULT_SETTINGS.ollama, numCtx: 16384 });
    expect(recovery?.problems).toEqual([expect.stringMatching(/^budget\.monthlyUsd: .*"3"/), expect.stringMatching(/^ollama\.keepAlive: .*"soon"/)]);
  });

  it('reads a layout-1 file’s 8192 (the old default, in every file) as automatic num_ctx, and any other number as fixed', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'settings.json');
    await fs.writeFile(file, JSON.stringify({ schemaVersion: 1, theme: 'dark', ollama: { host: null, numCtx: 8192, keepAlive: '5m' } }));
    const old = (await SettingsStore.open(dir)).get();
    expect(old).toEqual({ settings: { ...DEFAULT_SETTINGS, theme: 'dark', ollama: { ...DEFAULT_SETTINGS.ollama, numCtx: null } }, recovery: null });
    await fs.writeFile(file, JSON.stringify({ schemaVersion: 1, ollama: { host: null, numCtx: 16384, keepAlive: '5m' } }));
    expect((await SettingsStore.open(dir)).get()).toMatchObject({ settings: { ollama: { numCtx: 16384 } }, recovery: null });
  });

  it('keeps an 8192 set under layout 2 fixed, and writes layout 2 after a change to an old file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'settings.json');
    await fs.writeFile(file, JSON.stringify({ schemaVersion: 1, ollama: { host: null, numCtx: 8192, keepAlive: '5m' } }));
    const store = await SettingsStore.open(dir);
    await store.update({ theme: 'light' });
    expect(await readJson(file)).toMatchObject({ schemaVersion: 2, theme: 'light', ollama: { numCtx: null } });
    await store.update({ ollama: { numCtx: 8192 } });
    expect(await readJson(file)).toMatchObject({ schemaVersion: 2, ollama: { numCtx: 8192 } });
    expect((await SettingsStore.open(dir)).get().settings.ollama.numCtx).toBe(8192);
  });

  it('takes a group with a value left out (a budget with only a daily limit) without calling it a problem', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 1, budget: { dailyUsd: 5 } }));
    const { settings, recovery } = (await SettingsStore.open(dir, fixedClock)).get();
    expect(settings.budget).toEqual({ dailyUsd: 5, monthlyUsd: null });
    expect(recovery).toBeNull();
  });

  it('never overwrites an earlier kept copy', async () => {
    const dir = await tempDir();
    for (const text of ['first', 'second']) {
      await fs.writeFile(path.join(dir, 'settings.json'), text);
      await SettingsStore.open(dir, fixedClock);
    }
    const kept = (await fs.readdir(dir)).filter((name) => name.includes('rejected')).sort();
    expect(kept).toHaveLength(2);
    const contents = await Promise.all(kept.map((name) => fs.readFile(path.join(dir, name), 'utf8')));
    expect(contents.sort()).toEqual(['first', 'second']);
  });

  it('reads a settings file that starts with a byte-order mark as it is, without resetting it', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'settings.json'), `\uFEFF${JSON.stringify({ theme: 'dark', privacy: { tier: 'dsgvo_cloud' } })}`);
    const store = await SettingsStore.open(dir);
    expect(store.get()).toEqual({ settings: { ...DEFAULT_SETTINGS, theme: 'dark', privacy: { tier: 'dsgvo_cloud' } }, recovery: null });
    expect((await store.update({ language: 'de' })).settings).toMatchObject({ theme: 'dark', language: 'de', privacy: { tier: 'dsgvo_cloud' } });
  });

  it('reads a settings file saved as UTF-16 (PowerShell 5.1’s Out-File) as it is', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'settings.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify({ theme: 'dark' }), 'utf16le')]));
    expect((await SettingsStore.open(dir)).get()).toEqual({ settings: { ...DEFAULT_SETTINGS, theme: 'dark' }, recovery: null });
  });

  it('never quotes a password from an old file in the repair notice', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'settings.json'), JSON.stringify({ endpoints: [{ prefix: 'school', name: 'School', baseUrl: 'http://teacher:Hunter2pw@llm.school.example/v1' }] }));
    const { recovery } = (await SettingsStore.open(dir)).get();
    expect(recovery?.problems.join('\n')).toContain('endpoints:');
    expect(JSON.stringify(recovery)).not.toContain('Hunter2pw');
  });

  it('fills in settings missing from an older file without calling it a problem', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'settings.json'), JSON.stringify({ theme: 'light' }));
    const store = await SettingsStore.open(dir);
    expect(store.get()).toEqual({ settings: { ...DEFAULT_SETTINGS, theme: 'light' }, recovery: null });
  });

  it('builds an update on what is on disk now, so a change made by the CLI is not lost', async () => {
    const dir = await tempDir();
    const app = await SettingsStore.open(dir);
    const cli = await SettingsStore.open(dir);
    await cli.update({ language: 'de' });
    const state = await app.update({ theme: 'dark' });
    expect(state.settings).toEqual({ ...DEFAULT_SETTINGS, language: 'de', theme: 'dark' });
  });

  it('applies quick successive updates in order', async () => {
    const dir = await tempDir();
    const store = await SettingsStore.open(dir);
    await Promise.all([store.update({ theme: 'dark' }), store.update({ language: 'en' }), store.update({ theme: 'light' })]);
    expect(await readJson(path.join(dir, 'settings.json'))).toEqual({ ...DEFAULT_SETTINGS, language: 'en', theme: 'light' });
  });

  it('tells subscribers about each saved change', async () => {
    const store = await SettingsStore.open(await tempDir());
    const seen: string[] = [];
    const unsubscribe = store.subscribe((state) => seen.push(state.settings.theme));
    await store.update({ theme: 'dark' });
    unsubscribe();
    await store.update({ theme: 'light' });
    expect(seen).toEqual(['dark']);
  });

  it('reports settings_unwritable, keeps the old values, and keeps working once the folder is back', async () => {
    const parent = await tempDir();
    const dir = path.join(parent, 'data');
    const store = await SettingsStore.open(dir);
    await fs.writeFile(dir, 'a file where the folder should be');

    const failure = await store.update({ theme: 'dark' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AtelierError);
    expect((failure as AtelierError).toPayload()).toMatchObject({ code: 'settings_unwritable', hint: expect.any(String) });
    expect(store.get().settings.theme).toBe('system');

    await fs.rm(dir);
    expect((await store.update({ theme: 'light' })).settings.theme).toBe('light');
  });
});

describe('SettingsStore listeners', () => {
  it('cannot make a saved update fail', async () => {
    const dir = await tempDir();
    const store = await SettingsStore.open(dir);
    store.subscribe(() => {
      throw new Error('a window went away');
    });
    expect((await store.update({ theme: 'dark' })).settings.theme).toBe('dark');
    expect((await SettingsStore.open(dir)).get().settings.theme).toBe('dark');
  });
});
