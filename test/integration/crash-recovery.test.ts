import { spawn } from 'node:child_process';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { startMainProcess } from '../support/main-process';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';

const useFakes = useProviderFakes();
const repoRoot = path.resolve(import.meta.dirname, '../..');
const QUESTION = 'Erzähl mir eine lange Geschichte über den Rhein';

describe('a killed process in the middle of an answer', () => {
  it('keeps the question and the partial answer, marked interrupted after restart, with the database intact', async () => {
    const dataDir = await tempDir();
    await writeSettings(dataDir, { privacy: { tier: 'dsgvo_local' } });
    // A slow answer: 200 words, one every 30 ms, so the kill lands well inside it.
    useFakes().ollama.respondWith({ kind: 'answer', chunks: Array.from({ length: 200 }, (_, index) => `Wort${index} `), chunkDelayMs: 30 });

    // Inside the repository, so the bundle's imports find node_modules.
    const bundle = path.join(repoRoot, 'out/test-run', `chat-child-${process.pid}.mjs`);
    await build({ entryPoints: [path.join(import.meta.dirname, '../support/chat-child.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning', absWorkingDir: repoRoot });
    const child = spawn(process.execPath, [bundle, dataDir, FAKE_MODELS.local, QUESTION], {
      env: { ...process.env, ...useFakes().env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));

    // Wait until part of the answer is on disk (read through a connection of our own), then kill.
    const dbFile = path.join(dataDir, 'atelier.db');
    const savedAnswer = (): string => {
      try {
        const db = new DatabaseSync(dbFile, { readOnly: true });
        try {
          const row = db.prepare("SELECT text FROM messages WHERE role = 'assistant'").get() as { text: string } | undefined;
          return row?.text ?? '';
        } finally {
          db.close();
        }
      } catch {
        return ''; // not created yet
      }
    };
    await expect.poll(() => (stderr !== '' ? stderr : savedAnswer().split(' ').length > 10), { timeout: 30_000, interval: 50 }).toBe(true);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const partialOnDisk = savedAnswer();
    expect(partialOnDisk).toMatch(/^Wort0 Wort1 /);
    expect(partialOnDisk).not.toContain('Wort199');

    // The next start finds the answer interrupted, with all that was saved.
    const main = await startMainProcess(dataDir, ['app://atelier'], useFakes().env);
    const listed = await main.dispatch('conversations:list', undefined, { url: 'app://atelier/' });
    expect(listed).toMatchObject({ ok: true, value: { conversations: [{ title: QUESTION }] } });
    const conversationId = (listed as { value: { conversations: { id: number }[] } }).value.conversations[0]?.id;
    const opened = await main.dispatch('conversations:get', { id: conversationId }, { url: 'app://atelier/' });
    expect(opened).toMatchObject({
      ok: true,
      value: {
        messages: [
          { role: 'user', status: 'complete', parts: [{ type: 'text', text: QUESTION }] },
          { role: 'assistant', status: 'interrupted', parts: [{ type: 'text', text: partialOnDisk }], provenance: { routeClass: 'local' } },
        ],
      },
    });
    const check = new DatabaseSync(dbFile);
    expect({ ...check.prepare('PRAGMA integrity_check').get() }).toEqual({ integrity_check: 'ok' });
    // FTS5's own check that the search index matches the messages; it throws when they differ.
    expect(() => check.exec("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
    expect(check.prepare('SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?').all('rhein')).toHaveLength(1);
    check.close();
    expect(main.internalErrors).toEqual([]);
  }, 60_000);
});
