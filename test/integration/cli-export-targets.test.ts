import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runAtelier } from '../support/run-cli';
import { seedConversations } from '../support/seed-conversations';
import { tempDir } from '../support/temp-dir';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

/** A data folder with one conversation, and that conversation's JSON export as stdout gives it. */
async function setUp(): Promise<{ home: string; dir: string; env: Record<string, string>; expected: string }> {
  const home = await tempDir();
  const dir = await tempDir('atelier-targets-');
  seedConversations(home, [{ title: 'Igel', messages: [{ role: 'user', text: 'Was fressen Igel?' }, { role: 'assistant', text: 'Käfer und Würmer.' }] }]);
  const env = { ATELIER_HOME: home };
  const printed = await runAtelier(['conversations', 'export', '1', '--format', 'json'], { env });
  expect(printed.code).toBe(0);
  return { home, dir, env, expected: printed.stdout };
}

describe('conversations export ID FILE (and egress export FILE): what FILE already is', () => {
  it('a symbolic link stays a link; the file it points to gets the content', async () => {
    const { dir, env, expected } = await setUp();
    await fs.mkdir(path.join(dir, 'real'));
    await fs.writeFile(path.join(dir, 'real', 'igel.json'), 'the old export');
    await fs.symlink('real/igel.json', path.join(dir, 'hop.json'));
    await fs.symlink('hop.json', path.join(dir, 'link.json')); // a chain: link → hop → real/igel.json
    const result = await runAtelier(['conversations', 'export', '1', path.join(dir, 'link.json'), '--format', 'json'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect((await fs.lstat(path.join(dir, 'link.json'))).isSymbolicLink()).toBe(true);
    expect((await fs.lstat(path.join(dir, 'hop.json'))).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(path.join(dir, 'real', 'igel.json'), 'utf8')).toBe(expected);
    // Nothing else was left beside either: no temporary files.
    expect((await fs.readdir(dir)).sort()).toEqual(['hop.json', 'link.json', 'real']);
    expect(await fs.readdir(path.join(dir, 'real'))).toEqual(['igel.json']);
  });

  it('a dangling link stays a link, and the file it names is created', async () => {
    const { dir, env, expected } = await setUp();
    await fs.symlink('made.json', path.join(dir, 'dangling.json'));
    const result = await runAtelier(['conversations', 'export', '1', path.join(dir, 'dangling.json'), '--format', 'json'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect((await fs.lstat(path.join(dir, 'dangling.json'))).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(path.join(dir, 'made.json'), 'utf8')).toBe(expected);
  });

  it('egress export through a link writes the link’s target too', async () => {
    const { dir, env } = await setUp();
    await fs.writeFile(path.join(dir, 'record.csv'), 'old');
    await fs.symlink('record.csv', path.join(dir, 'egress.csv'));
    const result = await runAtelier(['egress', 'export', path.join(dir, 'egress.csv')], { env });
    expect(result.code, result.stderr).toBe(0);
    expect((await fs.lstat(path.join(dir, 'egress.csv'))).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(path.join(dir, 'record.csv'), 'utf8')).not.toBe('old');
  });

  it('a named pipe (FIFO) is written into, and stays a pipe', async () => {
    const { dir, env, expected } = await setUp();
    const fifo = path.join(dir, 'pipe');
    await run('mkfifo', [fifo]);
    // The reader, as `cat pipe` in another terminal would be.
    const reading = fs.readFile(fifo, 'utf8');
    const result = await runAtelier(['conversations', 'export', '1', fifo, '--format', 'json'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(await reading).toBe(expected);
    expect((await fs.lstat(fifo)).isFIFO()).toBe(true);
    expect(await fs.readdir(dir)).toEqual(['pipe']);
  });

  it('a Unix socket is written into: its listener gets the content', async () => {
    const { dir, env, expected } = await setUp();
    const socketPath = path.join(dir, 'listener.sock');
    let received = '';
    let ended: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (ended = resolve));
    const server = net.createServer((socket) => {
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.on('end', () => ended());
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const result = await runAtelier(['conversations', 'export', '1', socketPath, '--format', 'json'], { env });
    expect(result.code, result.stderr).toBe(0);
    await done;
    expect(received).toBe(expected);
  });

  it.skipIf(!isRoot)('a character device is written into, and stays a device (mknod needs root)', async () => {
    const { dir, env } = await setUp();
    const nullDevice = path.join(dir, 'null');
    await run('mknod', [nullDevice, 'c', '1', '3']); // /dev/null's numbers
    const written = await runAtelier(['conversations', 'export', '1', nullDevice], { env });
    expect(written.code, written.stderr).toBe(0);
    expect((await fs.lstat(nullDevice)).isCharacterDevice()).toBe(true);
    expect(await fs.readdir(dir)).toEqual(['null']);

    // /dev/full's numbers: every write fails with ENOSPC, and the CLI says the disk is full.
    const fullDevice = path.join(dir, 'full');
    await run('mknod', [fullDevice, 'c', '1', '7']);
    const full = await runAtelier(['conversations', 'export', '1', fullDevice], { env });
    expect(full.code).toBe(1);
    expect(full.stderr).toContain(`Error: Atelier could not write ${fullDevice}: the disk is full.`);
    expect((await fs.lstat(fullDevice)).isCharacterDevice()).toBe(true);
  });

  it('a folder is a clear error, exit 2, and the folder is untouched', async () => {
    const { dir, env } = await setUp();
    await fs.mkdir(path.join(dir, 'folder'));
    await fs.writeFile(path.join(dir, 'folder', 'inside.txt'), 'keep');
    for (const target of [path.join(dir, 'folder'), path.join(dir, 'folder-link')]) {
      if (target.endsWith('link')) await fs.symlink('folder', target);
      const result = await runAtelier(['conversations', 'export', '1', target], { env });
      expect(result.code, target).toBe(2);
      expect(result.stderr).toContain(`Error: Atelier could not write ${target}: that is a folder, not a file.`);
      expect(result.stdout).toBe('');
    }
    expect(await fs.readdir(path.join(dir, 'folder'))).toEqual(['inside.txt']);
    expect((await fs.lstat(path.join(dir, 'folder-link'))).isSymbolicLink()).toBe(true);
  });
});
