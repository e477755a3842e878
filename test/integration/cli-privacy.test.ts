import { describe, expect, it } from 'vitest';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { runAtelier } from '../support/run-cli';
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
    const env = { ...useFakes().env, ATELIER_HOME: await tempDir() };
    expect((await runAtelier(['privacy', 'set', 'dsgvo_cloud'], { env })).stdout).toContain('Local and EU cloud (DSGVO)');
    expect((await runAtelier(['chat', '-m', FAKE_MODELS.bedrock, 'Hallo'], { env })).code).toBe(0);
    const us = await runAtelier(['chat', '--json', '-m', 'bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0', 'Hallo'], { env });
    expect(JSON.parse(us.stdout)).toMatchObject({ error: { code: 'policy_denied', hint: expect.stringContaining('EU region') as unknown } });
    expect((await runAtelier(['privacy', 'set', 'everything'], { env })).code).toBe(2);
  });
});
