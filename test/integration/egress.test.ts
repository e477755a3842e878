import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildCli } from '../support/built-cli';
import type { EgressEntry } from '../../shared/egress';
import { EgressLog } from '../../electron/core/privacy/egress-log';
import { openDatabase } from '../../electron/core/store/database';
import { startMainProcess } from '../support/main-process';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { runAtelier } from '../support/run-cli';
import { filesContaining } from '../support/secret-scan';
import { writeSettings, writePolicyNamingBedrockFakeEu } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';

const useFakes = useProviderFakes();
const PROMPT = 'Die Noten von Lena Müller, Klasse 7b, sind vertraulich';

describe('the egress record', () => {
  it('records a completed request and a refused one, never the prompt or the answer; exports CSV', async () => {
    const home = await tempDir();
    const env = { ...useFakes().env, ATELIER_HOME: home, ATELIER_POLICY_FILE: await writePolicyNamingBedrockFakeEu(home, useFakes().bedrock) };
    await writeSettings(home, { privacy: { tier: 'dsgvo_cloud' } });

    expect((await runAtelier(['chat', '-m', FAKE_MODELS.bedrock, PROMPT], { env })).code).toBe(0);
    expect((await runAtelier(['chat', '-m', FAKE_MODELS.anthropic, PROMPT], { env })).code).toBe(1);

    const entries = JSON.parse((await runAtelier(['egress', 'list', '--json'], { env })).stdout) as EgressEntry[];
    expect(entries).toEqual([
      expect.objectContaining({ outcome: 'refused', errorCode: 'policy_denied', tier: 'dsgvo_cloud', routeClass: 'non-eu', provider: 'anthropic', inputTokens: null }),
      expect.objectContaining({
        outcome: 'completed',
        errorCode: null,
        tier: 'dsgvo_cloud',
        routeClass: 'eu',
        provider: 'bedrock',
        region: 'eu-central-1',
        host: '127.0.0.1',
        modelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
        inputTokens: 9,
        outputTokens: 5,
      }),
    ]);

    const csvFile = path.join(home, 'export', 'egress.csv');
    await fs.mkdir(path.dirname(csvFile));
    expect((await runAtelier(['egress', 'export', csvFile], { env })).stdout).toBe(`Wrote 2 entries to ${csvFile}.\n`);
    const rows = parse(await fs.readFile(csvFile, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => [row.outcome, row.provider, row.routeClass])).toEqual([
      ['completed', 'bedrock', 'eu'],
      ['refused', 'anthropic', 'non-eu'],
    ]);
    expect(Object.keys(rows[0] ?? {})).toEqual(['id', 'at', 'purpose', 'tier', 'routeClass', 'provider', 'region', 'host', 'modelId', 'inputTokens', 'outputTokens', 'outcome', 'errorCode', 'costUsd', 'client']);

    // Neither the prompt nor the answer is anywhere in the data folder (settings, database, its WAL).
    expect(await filesContaining(home, PROMPT)).toEqual([]);
    expect(await filesContaining(home, 'Hello from the fake!')).toEqual([]);
  });

  it('records cancelled and failed requests over IPC, and lists them through egress:list', async () => {
    const dataDir = await tempDir();
    await writeSettings(dataDir, { privacy: { tier: 'non_dsgvo' } });
    const main = await startMainProcess(dataDir, ['app://atelier'], useFakes().env);
    useFakes().openai.respondWith({ kind: 'http-error', status: 500, body: { error: { message: 'boom', type: 'server_error' } } });
    await main.dispatch('chat:start-stream', { model: FAKE_MODELS.openai, messages: [{ role: 'user', content: PROMPT }] }, { url: 'app://atelier/' });
    // The entry is written before the request leaves (outcome "sent"), and completed when it ends.
    await expect.poll(() => main.services.egress.list()[0]?.outcome).toBe('failed');
    const result = await main.dispatch('egress:list', { limit: 10 }, { url: 'app://atelier/' });
    expect(result).toMatchObject({ ok: true, value: { total: 1, entries: [{ outcome: 'failed', errorCode: 'provider_error', provider: 'openai', routeClass: 'non-eu', tier: 'non_dsgvo' }] } });
  });

  it('records model listing and connection tests, marked as such, and refusals of configured providers only', async () => {
    const home = await tempDir();
    const env = { ...useFakes().env, ATELIER_HOME: home };
    delete (env as Record<string, string | undefined>).OPENROUTER_API_KEY;
    await writeSettings(home, { privacy: { tier: 'dsgvo_cloud' } });
    expect((await runAtelier(['models', '--json'], { env })).code).toBe(0);
    await writeSettings(home, { privacy: { tier: 'non_dsgvo' } });
    expect((await runAtelier(['auth', 'test', 'openai'], { env })).code).toBe(0);
    expect((await runAtelier(['auth', 'test', 'bedrock'], { env })).code).toBe(0);

    const entries = (JSON.parse((await runAtelier(['egress', 'list', '--json'], { env })).stdout) as EgressEntry[]).reverse();
    // Under dsgvo_cloud, Anthropic and OpenAI (keys set) are refused before anything is sent, and
    // so is Bedrock's live listing (the fake's address is not known to be in the EU: the shipped
    // catalogue is shown); OpenRouter has no key, so nothing was about to go there; Ollama here sends nothing.
    expect(entries.map((entry) => [entry.purpose, entry.provider, entry.outcome, entry.tier, entry.modelId])).toEqual([
      ['model-list', 'anthropic', 'refused', 'dsgvo_cloud', ''],
      ['model-list', 'openai', 'refused', 'dsgvo_cloud', ''],
      ['model-list', 'bedrock', 'refused', 'dsgvo_cloud', ''],
      ['connection-test', 'openai', 'completed', 'non_dsgvo', ''],
      ['connection-test', 'bedrock', 'completed', 'non_dsgvo', 'eu.anthropic.claude-haiku-4-5-20251001-v1:0'],
    ]);
    expect(useFakes().anthropic.requests).toHaveLength(0);
  });

  it('gives entries written before purposes were recorded the purpose "chat"', async () => {
    const dir = await tempDir();
    const { DatabaseSync } = await import('node:sqlite');
    const old = new DatabaseSync(path.join(dir, 'atelier.db'));
    old.exec(`CREATE TABLE egress (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, tier TEXT NOT NULL, route_class TEXT NOT NULL,
      provider TEXT NOT NULL, region TEXT, host TEXT NOT NULL, model_id TEXT NOT NULL, input_tokens INTEGER, output_tokens INTEGER,
      outcome TEXT NOT NULL, error_code TEXT); CREATE INDEX egress_at ON egress (at);
      INSERT INTO egress (at, tier, route_class, provider, host, model_id, outcome) VALUES ('2026-01-01T00:00:00.000Z', 'dsgvo_local', 'local', 'local', '127.0.0.1', 'llama3.2:3b', 'completed');
      PRAGMA user_version = 1;`);
    old.close();
    const log = new EgressLog(openDatabase(dir));
    expect(log.list()).toEqual([expect.objectContaining({ purpose: 'chat', modelId: 'llama3.2:3b', outcome: 'completed' })]);
  });

  it('keeps CSV fields safe for spreadsheets', async () => {
    const log = new EgressLog(openDatabase(await tempDir()));
    log.record({ tier: 'non_dsgvo', routeClass: 'non-eu', provider: 'school', region: null, host: '=HYPERLINK("x")', modelId: 'a,b "c"', inputTokens: null, outputTokens: null, outcome: 'failed', errorCode: null });
    const csv = log.toCsv();
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain('"a,b ""c"""');
  });

  it('writes the entry before the request leaves: a command killed mid-answer leaves it as "sent", and one that cannot write the record sends nothing', async () => {
    const home = await tempDir();
    await writeSettings(home, { privacy: { tier: 'non_dsgvo' } });
    const fakes = useFakes();
    fakes.openai.respondWith({ kind: 'answer', chunks: Array.from({ length: 200 }, (_, index) => ` Wort${index}`), chunkDelayMs: 20 });
    const child = spawn(process.execPath, [await buildCli(), 'chat', '-m', FAKE_MODELS.openai, PROMPT], {
      env: { PATH: process.env.PATH, ATELIER_POLICY_FILE: process.env.ATELIER_POLICY_FILE, ...fakes.env, ATELIER_HOME: home },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('Wort3') && resolve()));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const entries = JSON.parse((await runAtelier(['egress', 'list', '--json'], { env: { ATELIER_HOME: home } })).stdout) as EgressEntry[];
    expect(entries).toEqual([expect.objectContaining({ outcome: 'sent', provider: 'openai', purpose: 'chat' })]);

    // The database cannot be written (a folder where the database should be): nothing goes out.
    const broken = await tempDir();
    await writeSettings(broken, { privacy: { tier: 'non_dsgvo' } });
    await fs.mkdir(path.join(broken, 'atelier.db'));
    const before = fakes.openai.requests.length;
    const refused = await runAtelier(['chat', '--json', '-m', FAKE_MODELS.openai, PROMPT], { env: { ...fakes.env, ATELIER_HOME: broken } });
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'file_unwritable', message: expect.stringContaining('so nothing was sent') as unknown } });
    expect(fakes.openai.requests.length).toBe(before);
  }, 60_000);

  it('loses no entry when many commands write at once (each waits for the database, none fails on "locked")', async () => {
    const home = await tempDir();
    await writeSettings(home, { privacy: { tier: 'non_dsgvo' } });
    const cli = await buildCli();
    const env = { PATH: process.env.PATH, ATELIER_POLICY_FILE: process.env.ATELIER_POLICY_FILE, ...useFakes().env, ATELIER_HOME: home };
    const codes = await Promise.all(
      Array.from({ length: 10 }, () => new Promise<number | null>((resolve) => spawn(process.execPath, [cli, 'chat', '-m', FAKE_MODELS.openai, PROMPT], { env, stdio: 'ignore' }).once('exit', resolve))),
    );
    expect(codes).toEqual(Array.from({ length: 10 }, () => 0));
    const entries = JSON.parse((await runAtelier(['egress', 'list', '--json'], { env: { ATELIER_HOME: home } })).stdout) as EgressEntry[];
    expect(entries.map((entry) => entry.outcome)).toEqual(Array.from({ length: 10 }, () => 'completed'));
  }, 60_000);
});
