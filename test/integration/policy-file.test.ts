import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMainProcess } from '../support/main-process';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { runAtelier } from '../support/run-cli';
import { ANY_PROVIDER, writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';

const useFakes = useProviderFakes();

/** A data folder whose user chose "any provider", and a school policy file with `policy` in it. */
async function school(policy: string | object) {
  const home = await tempDir();
  await writeSettings(home, ANY_PROVIDER);
  const policyFile = path.join(home, 'policy.json');
  await fs.writeFile(policyFile, typeof policy === 'string' ? policy : JSON.stringify(policy));
  const env = { ...useFakes().env, ATELIER_HOME: home, ATELIER_POLICY_FILE: policyFile };
  return { home, env, atelier: (argv: string[], stdin?: string) => runAtelier(argv, { env, ...(stdin !== undefined && { stdin }) }) };
}

describe('the school’s policy file', () => {
  it('pins the tier over the user’s choice, and the user cannot change it', async () => {
    const { atelier } = await school({ tier: 'dsgvo_cloud', hosts: { [new URL(useFakes().bedrock.url).host]: 'eu' } });
    expect(JSON.parse((await atelier(['privacy', 'show', '--json'])).stdout)).toMatchObject({ tier: 'dsgvo_cloud', source: 'policy-file' });
    const refused = await atelier(['chat', '--json', '-m', FAKE_MODELS.openai, 'hi']);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'policy_denied', message: expect.stringContaining('set by your school') as unknown } });
    expect((await atelier(['chat', '-m', FAKE_MODELS.bedrock, 'hi'])).code).toBe(0);
    const change = await atelier(['privacy', 'set', 'non_dsgvo']);
    expect(change.code).toBe(1);
    expect(change.stderr).toContain('Your school manages the privacy tier');
  });

  it('allows only the listed models', async () => {
    const { atelier } = await school({ tier: 'non_dsgvo', allowedModels: ['local/*', 'bedrock/eu.*'] });
    expect((await atelier(['chat', '-m', FAKE_MODELS.local, 'hi'])).code).toBe(0);
    expect((await atelier(['chat', '-m', 'bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0', 'hi'])).code).toBe(0); // resolved to eu.
    const before = useFakes().openrouter.requests.length;
    const refused = await atelier(['chat', '--json', '-m', FAKE_MODELS.openrouter, 'hi']);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'policy_denied', message: expect.stringContaining('Your school’s policy does not allow') as unknown } });
    expect(useFakes().openrouter.requests.length).toBe(before);
  });

  it('declares a custom endpoint’s residency for its address, which the tier then allows; moved elsewhere it is refused', async () => {
    const url = `${useFakes().school.url}/v1`;
    const { atelier } = await school({ tier: 'dsgvo_cloud', endpoints: { school: { residency: 'eu', url } } });
    await atelier(['endpoints', 'add', 'school', url]);
    await atelier(['endpoints', 'add', 'lab', url]);
    expect((await atelier(['chat', '-m', FAKE_MODELS.school, 'hi'])).code).toBe(0);
    expect(JSON.parse((await atelier(['chat', '--json', '-m', 'lab/llama-3.1-70b', 'hi'])).stdout)).toMatchObject({ error: { code: 'policy_denied' } });
    // The same prefix pointed at another server (here: the same fake by another name) keeps no residency.
    await atelier(['endpoints', 'remove', 'school']);
    await atelier(['endpoints', 'add', 'school', url.replace('127.0.0.1', 'localhost')]);
    const before = useFakes().school.requests.length;
    expect(JSON.parse((await atelier(['chat', '--json', '-m', FAKE_MODELS.school, 'hi'])).stdout)).toMatchObject({ error: { code: 'policy_denied' } });
    expect(useFakes().school.requests.length).toBe(before);
  });

  it('an endpoint declared without its address is outside the EU, and privacy show says why', async () => {
    const { atelier } = await school({ tier: 'dsgvo_cloud', endpoints: { school: { residency: 'eu' } } });
    await atelier(['endpoints', 'add', 'school', `${useFakes().school.url}/v1`]);
    expect(JSON.parse((await atelier(['chat', '--json', '-m', FAKE_MODELS.school, 'hi'])).stdout)).toMatchObject({ error: { code: 'policy_denied' } });
    expect((await atelier(['privacy', 'show'])).stdout).toContain('Note: The policy declares the endpoint “school” eu but names no url');
  });

  it('says so when ATELIER_POLICY_FILE names a file that is not there', async () => {
    const home = await tempDir();
    const shown = await runAtelier(['privacy', 'show', '--json'], { env: { ATELIER_HOME: home, ATELIER_POLICY_FILE: path.join(home, 'missing-policy.json') } });
    expect(JSON.parse(shown.stdout)).toMatchObject({ notes: [expect.stringContaining(`ATELIER_POLICY_FILE names ${path.join(home, 'missing-policy.json')}, which does not exist`)] });
  });

  it('locks settings and credentials, through the CLI and IPC', async () => {
    const { home, env, atelier } = await school({ lockSettings: true });
    const locked = [
      await atelier(['auth', 'set', 'anthropic'], 'sk-ant-api03-lockedlockedlocked'),
      await atelier(['config', 'set', 'bedrock.region', 'eu-west-1']),
      await atelier(['endpoints', 'add', 'lab', 'http://127.0.0.1:1/v1']),
      await atelier(['privacy', 'set', 'dsgvo_local']),
    ];
    for (const result of locked) {
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Your school manages/);
    }
    expect((await atelier(['config', 'set', 'theme', 'dark'])).code).toBe(0); // not protected

    const main = await startMainProcess(home, ['app://atelier'], env);
    const app = { url: 'app://atelier/' };
    expect(await main.dispatch('settings:update', { privacy: { tier: 'dsgvo_local' } }, app)).toMatchObject({ ok: false, error: { code: 'settings_locked' } });
    expect(await main.dispatch('providers:set-secret', { name: 'openai', value: 'sk-proj-x0123456789' }, app)).toMatchObject({ ok: false, error: { code: 'settings_locked' } });
    expect(await main.dispatch('settings:update', { language: 'de' }, app)).toMatchObject({ ok: true });
  });

  it.each([
    ['not JSON', '{ "tier": '],
    ['an unknown tier', { tier: 'everything' }],
    ['an unknown key', { tier: 'dsgvo_cloud', backdoor: true }],
  ])('an invalid file (%s) means the strictest tier, with the reason', async (_what, content) => {
    const { atelier } = await school(content);
    const shown = JSON.parse((await atelier(['privacy', 'show', '--json'])).stdout) as { tier: string; problem: string };
    expect(shown.tier).toBe('dsgvo_local');
    expect(shown.problem).toMatch(/cannot be used: .*only this computer is allowed/);
    const before = useFakes().bedrock.requests.length;
    expect((await atelier(['chat', '-m', FAKE_MODELS.bedrock, 'hi'])).code).toBe(1);
    expect(useFakes().bedrock.requests.length).toBe(before);
    expect((await atelier(['chat', '-m', FAKE_MODELS.local, 'hi'])).code).toBe(0);
    expect((await atelier(['privacy', 'set', 'non_dsgvo'])).stderr).toContain('only the strictest privacy tier is allowed');
  });

  it('accepts a UTF-8 byte-order mark (PowerShell 5.1 writes one), and names an invisible character it cannot take', async () => {
    const { atelier } = await school(`\uFEFF${JSON.stringify({ tier: 'dsgvo_cloud', lockSettings: true })}`);
    expect(JSON.parse((await atelier(['privacy', 'show', '--json'])).stdout)).toMatchObject({ tier: 'dsgvo_cloud', source: 'policy-file' });
    expect((await atelier(['privacy', 'set', 'non_dsgvo'])).stderr).toContain('Your school manages the privacy tier');

    const broken = await school(`{"tier":\u200B"dsgvo_cloud"}`);
    const shown = JSON.parse((await broken.atelier(['privacy', 'show', '--json'])).stdout) as { tier: string; problem: string };
    expect(shown.tier).toBe('dsgvo_local');
    expect(shown.problem).toContain('a zero-width space (U+200B)');
    expect(shown.problem).not.toContain('\u200B');
  });
});
