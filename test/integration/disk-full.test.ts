import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileFixes } from '../../electron/core/models/bedrock-profiles';
import { SettingsStore } from '../../electron/core/settings/settings-store';
import { writeFileAtomically } from '../../electron/core/store/atomic-file';
import { AtelierError } from '../../shared/errors';
import { useProviderFakes } from '../support/provider-fakes';
import { runAtelier } from '../support/run-cli';
import { seedConversations } from '../support/seed-conversations';
import { tempDir } from '../support/temp-dir';

const run = promisify(execFile);
const useFakes = useProviderFakes();

/**
 * A real, tiny file system (tmpfs of 64 KB) that fills up: what a full disk does to a write.
 * Mounting needs root, as CI runs; elsewhere these tests are skipped and say why.
 */
const isRoot = process.getuid?.() === 0;
let disk = '';

beforeAll(async () => {
  if (!isRoot) return;
  disk = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-full-disk-'));
  await run('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', disk]);
});

afterAll(async () => {
  if (!disk) return;
  // Lazily: the in-process commands of these tests may still hold a database file open there.
  await run('umount', ['-l', disk]).catch(() => undefined);
  await fs.rm(disk, { recursive: true, force: true }).catch(() => undefined);
});

/** Fills the tmpfs until only `leave` bytes (about) are free. */
async function fill(leaveBytes: number): Promise<void> {
  const { stdout } = await run('df', ['-B1', '--output=avail', disk]);
  const available = Number(stdout.trim().split('\n').at(-1));
  if (available > leaveBytes) await fs.writeFile(path.join(disk, `filler-${Date.now()}`), Buffer.alloc(available - leaveBytes)).catch(() => undefined);
}

describe.skipIf(!isRoot)('a full disk (a 64 KB tmpfs): every file is whole, or the old one stays', () => {
  it('conversations export: a clear error, exit 1, and no cut-off file', async () => {
    const home = await tempDir();
    const long = 'Igel fressen Käfer, Würmer und Schnecken. '.repeat(24_000); // about 1 MB
    const [id] = seedConversations(home, [{ title: 'Igel', messages: [{ role: 'user', text: 'Was fressen Igel?' }, { role: 'assistant', text: long }] }]);
    const target = path.join(disk, 'igel.md');
    const result = await runAtelier(['conversations', 'export', String(id), target], { env: { ATELIER_HOME: home } });
    expect(result.stdout).not.toContain('Wrote');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Error: Atelier could not write ${target}: the disk is full.`);
    expect(result.stderr).toContain('Hint: Free some space on the disk, then try again. Nothing was changed.');
    // Nothing half-written is left: no target, no temporary file.
    expect((await fs.readdir(disk)).filter((name) => !name.startsWith('filler'))).toEqual([]);
  });

  it('an export over an older file leaves the older file as it was', async () => {
    const target = path.join(disk, 'keep.txt');
    await fs.writeFile(target, 'the old export');
    const failure = await writeFileAtomically(target, 'x'.repeat(200_000)).catch((error: unknown) => error);
    expect((failure as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(await fs.readFile(target, 'utf8')).toBe('the old export');
    expect((await fs.readdir(disk)).filter((name) => name.includes('keep.txt'))).toEqual(['keep.txt']);
    await fs.rm(target);
  });

  it('settings and Bedrock profile fixes: the old file stays, and the error says the disk is full', async () => {
    const home = path.join(disk, `home-${Date.now()}`);
    const store = await SettingsStore.open(home);
    await store.update({ theme: 'dark' });
    const fixes = await ProfileFixes.open(home);
    await fixes.remember('eu-central-1', 'anthropic.claude-haiku-4-5-20251001-v1:0', 'eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    const before = await fs.readFile(path.join(home, 'settings.json'), 'utf8');
    const fixesBefore = await fs.readFile(path.join(home, 'bedrock-profiles.json'), 'utf8');
    await fill(0);

    const failure = await store.update({ theme: 'light', endpoints: [{ prefix: 'school', name: 'x'.repeat(80), baseUrl: 'https://llm.school.example/v1' }] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AtelierError);
    expect((failure as AtelierError).toPayload()).toMatchObject({ code: 'settings_unwritable', message: expect.stringContaining('the disk is full') as unknown });
    expect(await fs.readFile(path.join(home, 'settings.json'), 'utf8')).toBe(before);
    expect(store.get().settings.theme).toBe('dark');

    const fixFailure = await fixes.remember('eu-west-1', 'anthropic.claude-sonnet-4-6-20250929-v1:0', 'eu.anthropic.claude-sonnet-4-6-20250929-v1:0').catch((error: unknown) => error);
    expect((fixFailure as AtelierError).toPayload()).toMatchObject({ code: 'file_unwritable', message: expect.stringContaining('the disk is full') as unknown });
    expect(await fs.readFile(path.join(home, 'bedrock-profiles.json'), 'utf8')).toBe(fixesBefore);
    expect((await fs.readdir(home)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a data folder on a full disk: commands say the disk is full, never "something went wrong"', async () => {
    const home = path.join(disk, `full-home-${Date.now()}`);
    await fs.mkdir(home);
    await fill(0);
    for (const argv of [['conversations', 'list'], ['egress', 'list'], ['config', 'set', 'theme', 'dark']]) {
      const result = await runAtelier(argv, { env: { ATELIER_HOME: home } });
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.stderr, argv.join(' ')).toMatch(/the disk is full/);
      expect(result.stderr, argv.join(' ')).not.toContain('Something went wrong');
    }
  });

  it('a budget whose ledger cannot be written: the answer is refused, and nothing reaches the provider', async () => {
    // A disk of its own, big enough for the database (the shared one is filled by the tests before).
    const own = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-full-ledger-'));
    await run('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', own]);
    try {
      const home = path.join(own, 'home');
      const store = await SettingsStore.open(home);
      await store.update({ privacy: { tier: 'non_dsgvo' }, budget: { dailyUsd: 5 } });
      // The database exists (a command ran), then the disk fills up.
      const shown = await runAtelier(['budget', 'show'], { env: { ATELIER_HOME: home } });
      expect(shown.stderr).toBe('');
      const { stdout } = await run('df', ['-B1', '--output=avail', own]);
      await fs.writeFile(path.join(own, 'filler'), Buffer.alloc(Number(stdout.trim().split('\n').at(-1)))).catch(() => undefined);
      const before = useFakes().anthropic.requests.length;
      const result = await runAtelier(['chat', '-m', 'anthropic/claude-sonnet-4-6', 'Hallo'], { env: { ...useFakes().env, ATELIER_HOME: home } });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Error: Atelier could not write down what this answer may cost \(the disk is full\), so nothing was sent\./);
      expect(useFakes().anthropic.requests.length).toBe(before);
    } finally {
      await run('umount', ['-l', own]).catch(() => undefined);
      await fs.rm(own, { recursive: true, force: true }).catch(() => undefined);
    }
  });
});
