import { describe, expect, it } from 'vitest';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { runAtelier } from '../support/run-cli';
import { writePolicyNamingBedrockFakeEu, writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';

const useFakes = useProviderFakes();

describe('atelier privacy', () => {
  it('starts strict, shows what the tier allows, and refuses a cloud chat without sending anything', async () => {
    const env = { ...useFakes().env, ATELIER_HOME: await tempDir() };
    const shown = JSON.parse((await runAtelier(['privacy', 'show', '--json'], { env })).stdout) as { tier: string; source: string };
    expect(shown).toMatchObject({ tier: 'dsgvo_local', source: 'settings' });

    const before = useFakes().openai.requests.length;
    const refused = await runAtelier(['chat', '--json', '-m', FAKE_MODELS.openai, 'Noten der 7b'], { env });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'policy_denied', message: expect.stringContaining('Nothing was sent') as unknown } });
    expect(useFakes().openai.requests.length).toBe(before);

    const local = JSON.parse((await runAtelier(['chat', '--json', '-m', FAKE_MODELS.local, 'Hallo'], { env })).stdout) as { provenance: unknown };
    expect(local.provenance).toMatchObject({ tier: 'dsgvo_local', routeClass: 'local', provider: 'local', host: '127.0.0.1' });
  });

  it('set changes the tier; EU Bedrock then works and US profiles are still refused', async () => {
    const home = await tempDir();
    const env = { ...useFakes().env, ATELIER_HOME: home, ATELIER_POLICY_FILE: await writePolicyNamingBedrockFakeEu(home, useFakes().bedrock) };
    expect((await runAtelier(['privacy', 'set', 'dsgvo_cloud'], { env })).stdout).toContain('Local and EU cloud (DSGVO)');
    expect((await runAtelier(['chat', '-m', FAKE_MODELS.bedrock, 'Hallo'], { env })).code).toBe(0);
    const us = await runAtelier(['chat', '--json', '-m', 'bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0', 'Hallo'], { env });
    expect(JSON.parse(us.stdout)).toMatchObject({ error: { code: 'policy_denied', hint: expect.stringContaining('EU region') as unknown } });
    expect((await runAtelier(['privacy', 'set', 'everything'], { env })).code).toBe(2);
  });

  it('a Bedrock endpoint outside the EU, or one the school does not name, is refused under dsgvo_cloud and nothing is sent', async () => {
    const home = await tempDir();
    await writeSettings(home, { privacy: { tier: 'dsgvo_cloud' } });
    const fakes = useFakes();
    const before = fakes.bedrock.requests.length;
    for (const endpoint of ['https://bedrock-runtime.us-east-1.amazonaws.com', 'https://bedrock-runtime.us-west-2.amazonaws.com/', 'http://bedrock-proxy.example.com', fakes.bedrock.url]) {
      for (const variable of ['AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'AWS_ENDPOINT_URL']) {
        const env = { ...fakes.env, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: undefined, [variable]: endpoint, ATELIER_HOME: home };
        const result = await runAtelier(['chat', '--json', '-m', FAKE_MODELS.bedrock, 'Hallo'], { env });
        expect(JSON.parse(result.stdout), `${variable}=${endpoint}`).toMatchObject({ error: { code: 'policy_denied', message: expect.stringContaining('Nothing was sent') as unknown } });
      }
    }
    expect(fakes.bedrock.requests.length).toBe(before);
    // The same fake, once the school's policy names its host as in the EU, is allowed.
    const named = { ...fakes.env, ATELIER_HOME: home, ATELIER_POLICY_FILE: await writePolicyNamingBedrockFakeEu(home, useFakes().bedrock) };
    expect(JSON.parse((await runAtelier(['chat', '--json', '-m', FAKE_MODELS.bedrock, 'Hallo'], { env: named })).stdout)).toMatchObject({ provenance: { routeClass: 'eu', host: '127.0.0.1' } });
    // And an OpenAI base URL the school names as local is allowed even under dsgvo_local.
    const local = { ...fakes.env, ATELIER_HOME: home, ATELIER_POLICY_FILE: await writePolicyNamingBedrockFakeEu(home, useFakes().bedrock, { tier: 'dsgvo_local', hosts: { '127.0.0.1': 'local' } }) };
    expect((await runAtelier(['chat', '-m', FAKE_MODELS.openai, 'Hallo'], { env: local })).code).toBe(0);
    expect((await runAtelier(['chat', '-m', FAKE_MODELS.bedrock, 'Hallo'], { env: { ...local, ATELIER_POLICY_FILE: await writePolicyNamingBedrockFakeEu(home, useFakes().bedrock, { tier: 'dsgvo_local' }) } })).code).toBe(1);
  });
});
