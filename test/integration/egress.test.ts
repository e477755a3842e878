import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { EgressEntry } from '../../shared/egress';
import { EgressLog } from '../../electron/core/privacy/egress-log';
import { openDatabase } from '../../electron/core/store/database';
import { startMainProcess } from '../support/main-process';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { runAtelier } from '../support/run-cli';
import { filesContaining } from '../support/secret-scan';
import { writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';

const useFakes = useProviderFakes();
const PROMPT = 'Die Noten von Lena Müller, Klasse 7b, sind vertraulich';

describe('the egress record', () => {
  it('records a completed request and a refused one, never the prompt or the answer; exports CSV', async () => {
    const home = await tempDir();
    const env = { ...useFakes().env, ATELIER_HOME: home };
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
    expect(Object.keys(rows[0] ?? {})).toEqual(['id', 'at', 'tier', 'routeClass', 'provider', 'region', 'host', 'modelId', 'inputTokens', 'outputTokens', 'outcome', 'errorCode']);

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
    await expect.poll(() => main.services.egress.count()).toBe(1);
    const result = await main.dispatch('egress:list', { limit: 10 }, { url: 'app://atelier/' });
    expect(result).toMatchObject({ ok: true, value: { total: 1, entries: [{ outcome: 'failed', errorCode: 'provider_error', provider: 'openai', routeClass: 'non-eu', tier: 'non_dsgvo' }] } });
  });

  it('keeps CSV fields safe for spreadsheets', async () => {
    const log = new EgressLog(openDatabase(await tempDir()));
    log.record({ tier: 'non_dsgvo', routeClass: 'non-eu', provider: 'school', region: null, host: '=HYPERLINK("x")', modelId: 'a,b "c"', inputTokens: null, outputTokens: null, outcome: 'failed', errorCode: null });
    const csv = log.toCsv();
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain('"a,b ""c"""');
  });
});
