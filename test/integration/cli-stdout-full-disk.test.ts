import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildCli } from '../support/built-cli';
import { seedConversations } from '../support/seed-conversations';
import { tempDir } from '../support/temp-dir';

const run = promisify(execFile);

/**
 * `atelier … > file` on a disk that fills up: a real tmpfs of 64 KB (mounting needs root, as CI
 * runs; elsewhere skipped), the built CLI as a subprocess, its stdout a file on that tmpfs.
 */
const isRoot = process.getuid?.() === 0 && process.platform === 'linux';
let disk = '';
let cli = '';

beforeAll(async () => {
  if (!isRoot) return;
  cli = await buildCli();
  disk = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-full-stdout-'));
  await run('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', disk]);
}, 60_000);

afterAll(async () => {
  if (!disk) return;
  await run('umount', ['-l', disk]).catch(() => undefined);
  await fs.rm(disk, { recursive: true, force: true }).catch(() => undefined);
});

/** Runs the built CLI with its stdout opened on `file`; returns its exit code and stderr. */
async function runInto(file: string, argv: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const out = await fs.open(file, 'w');
  try {
    const child = spawn(process.execPath, [cli, ...argv], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', out.fd, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    return { code, stderr };
  } finally {
    await out.close();
  }
}

describe.skipIf(!isRoot)('stdout redirected to a file on a disk that fills up (a 64 KB tmpfs)', () => {
  it('conversations export ID > file: one error line saying the disk is full, exit 1', async () => {
    const home = await tempDir();
    const long = 'Igel fressen Käfer, Würmer und Schnecken. '.repeat(24_000); // about 1 MB, in one write
    const [id] = seedConversations(home, [{ title: 'Igel', messages: [{ role: 'user', text: 'Was fressen Igel?' }, { role: 'assistant', text: long }] }]);
    const target = path.join(disk, 'out.md');
    onTestFinished(() => fs.rm(target, { force: true }));
    const result = await runInto(target, ['conversations', 'export', String(id)], { ATELIER_HOME: home });
    expect(result).toEqual({ code: 1, stderr: 'Error: Atelier could not write its output: the disk is full (ENOSPC).\n' });
    // What did fit is there (as much as the disk took), not the whole export.
    expect((await fs.stat(target)).size).toBeLessThan(Buffer.byteLength(long));
  });

  it('output that fits is written whole, exit 0', async () => {
    const home = await tempDir();
    const text = 'Igel schlafen im Winter. '.repeat(400); // 10 KB
    const [id] = seedConversations(home, [{ title: 'Winter', messages: [{ role: 'user', text: 'Und im Winter?' }, { role: 'assistant', text }] }]);
    const target = path.join(disk, 'fits.md');
    onTestFinished(() => fs.rm(target, { force: true }));
    const result = await runInto(target, ['conversations', 'export', String(id)], { ATELIER_HOME: home });
    expect(result).toEqual({ code: 0, stderr: '' });
    expect(await fs.readFile(target, 'utf8')).toContain(text.trimEnd());
  });
});
