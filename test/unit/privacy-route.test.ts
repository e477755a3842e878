import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import { policyDenial, tierAllows, type PrivacyPolicy } from '../../electron/core/privacy/policy';
import { bedrockRouteClass, classifyRoute, isLoopbackHost } from '../../electron/core/privacy/route';

const policy = (changes: Partial<PrivacyPolicy> = {}): PrivacyPolicy => ({ tier: 'dsgvo_cloud', allowedOllamaHosts: [], endpointResidency: {}, source: 'settings', ...changes });
const config = (env: Record<string, string> = {}) =>
  resolveProviderConfig({ ...DEFAULT_SETTINGS, endpoints: [{ prefix: 'school', name: 'School', baseUrl: 'https://llm.school.example/v1' }] }, env);

describe('route classification', () => {
  it('Ollama on this machine is local; another host only when the school names it', () => {
    expect(classifyRoute({ prefix: 'local', model: 'llama3.2:3b' }, config(), policy()).routeClass).toBe('local');
    expect(classifyRoute({ prefix: 'local', model: 'x' }, config({ OLLAMA_HOST: 'gpu.school.lan' }), policy()).routeClass).toBe('non-eu');
    expect(classifyRoute({ prefix: 'local', model: 'x' }, config({ OLLAMA_HOST: 'gpu.school.lan' }), policy({ allowedOllamaHosts: ['GPU.school.lan'] })).routeClass).toBe('local');
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['128.0.0.1', '10.0.0.5', 'localhost.evil.example', '0.0.0.0']) expect(isLoopbackHost(host)).toBe(false);
  });

  it('Bedrock is EU only in an EU region with an eu. profile or an in-region model', () => {
    expect(bedrockRouteClass('eu-central-1', 'eu.anthropic.claude-haiku-4-5-20251001-v1:0')).toBe('eu');
    expect(bedrockRouteClass('eu-central-1', 'amazon.nova-pro-v1:0')).toBe('eu');
    expect(bedrockRouteClass('eu-central-1', 'arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-pro-v1:0')).toBe('eu');
    for (const [region, model] of [
      ['eu-central-1', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'],
      ['eu-central-1', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'],
      ['us-east-1', 'eu.anthropic.claude-haiku-4-5-20251001-v1:0'],
      ['us-east-1', 'amazon.nova-pro-v1:0'],
      ['eu-central-1', 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0'],
      ['eu-central-1', 'arn:aws:bedrock:eu-central-1:111122223333:application-inference-profile/abc'],
    ]) expect(bedrockRouteClass(region ?? '', model ?? ''), `${model} in ${region}`).toBe('non-eu');
  });

  it('a bare Bedrock id is judged as it will be sent: resolved to the region’s profile first', () => {
    const route = classifyRoute({ prefix: 'bedrock', model: 'anthropic.claude-sonnet-4-5-20250929-v1:0' }, config(), policy());
    expect(route).toEqual({ routeClass: 'eu', provider: 'bedrock', region: 'eu-central-1', host: 'bedrock-runtime.eu-central-1.amazonaws.com', modelId: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0' });
  });

  it('a custom endpoint is non-EU unless the school declares where it is', () => {
    expect(classifyRoute({ prefix: 'school', model: 'm' }, config(), policy()).routeClass).toBe('non-eu');
    expect(classifyRoute({ prefix: 'school', model: 'm' }, config(), policy({ endpointResidency: { school: 'eu' } })).routeClass).toBe('eu');
  });

  it('the tiers allow what they say, and a refusal names the tier and what to do', () => {
    expect(['local', 'eu', 'non-eu'].map((route) => tierAllows('dsgvo_local', route as 'local'))).toEqual([true, false, false]);
    expect(['local', 'eu', 'non-eu'].map((route) => tierAllows('dsgvo_cloud', route as 'local'))).toEqual([true, true, false]);
    const denial = policyDenial({ routeClass: 'non-eu', provider: 'openai', region: null, host: 'api.openai.com', modelId: 'gpt-4o' }, policy({ tier: 'dsgvo_local' }));
    expect(denial.message).toBe('The privacy setting “Local only (DSGVO)” does not allow sending to OpenAI at api.openai.com: that is outside the EU, or somewhere Atelier cannot tell. Nothing was sent.');
    expect(policyDenial({ routeClass: 'non-eu', provider: 'openai', region: null, host: 'h', modelId: 'm' }, policy({ source: 'policy-file' })).message).toContain('set by your school');
  });
});
