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
      // London and Zurich are named eu- by AWS but are not in the EU.
      ['eu-west-2', 'eu.anthropic.claude-haiku-4-5-20251001-v1:0'],
      ['eu-central-2', 'amazon.nova-pro-v1:0'],
      ['eu-central-1', 'arn:aws:bedrock:eu-west-2::foundation-model/amazon.nova-pro-v1:0'],
    ]) expect(bedrockRouteClass(region ?? '', model ?? ''), `${model} in ${region}`).toBe('non-eu');
  });

  it('a bare Bedrock id is judged as it will be sent: resolved to the region’s profile first', () => {
    const route = classifyRoute({ prefix: 'bedrock', model: 'anthropic.claude-sonnet-4-5-20250929-v1:0' }, config(), policy());
    expect(route).toEqual({ routeClass: 'eu', provider: 'bedrock', region: 'eu-central-1', host: 'bedrock-runtime.eu-central-1.amazonaws.com', modelId: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0' });
  });

  it('a custom endpoint is non-EU unless the school declares where it is', () => {
    expect(classifyRoute({ prefix: 'school', model: 'm' }, config(), policy()).routeClass).toBe('non-eu');
    // Declared without the address it holds for, a residency holds for none.
    expect(classifyRoute({ prefix: 'school', model: 'm' }, config(), policy({ endpointResidency: { school: 'eu' } })).routeClass).toBe('non-eu');
    expect(classifyRoute({ prefix: 'school', model: 'm' }, config(), policy({ endpointResidency: { school: 'eu' }, endpointHosts: { school: 'llm.school.example' } })).routeClass).toBe('eu');
    // Moved to another address, the endpoint is outside the EU whatever its prefix.
    const moved = resolveProviderConfig({ ...DEFAULT_SETTINGS, endpoints: [{ prefix: 'school', name: 'School', baseUrl: 'https://collector.example.com/v1' }] }, {});
    expect(classifyRoute({ prefix: 'school', model: 'm' }, moved, policy({ endpointResidency: { school: 'eu' }, endpointHosts: { school: 'llm.school.example' } })).routeClass).toBe('non-eu');
    expect(classifyRoute({ prefix: 'school', model: 'm' }, moved, policy({ hostResidency: { 'collector.example.com': 'eu' } })).routeClass).toBe('eu');
  });

  it('a Bedrock endpoint override is judged by its host: AWS’s own by region, any other host only as the school names it', () => {
    const bedrock = (endpoint: string, model = 'eu.anthropic.claude-haiku-4-5-20251001-v1:0', changes: Partial<PrivacyPolicy> = {}) =>
      classifyRoute({ prefix: 'bedrock', model }, config({ AWS_ENDPOINT_URL_BEDROCK_RUNTIME: endpoint }), policy(changes));
    expect(bedrock('https://bedrock-runtime.us-east-1.amazonaws.com')).toMatchObject({ routeClass: 'non-eu', host: 'bedrock-runtime.us-east-1.amazonaws.com' });
    expect(bedrock('https://BEDROCK-RUNTIME.US-WEST-2.AMAZONAWS.COM.').routeClass).toBe('non-eu');
    expect(bedrock('https://bedrock-runtime-fips.us-east-1.amazonaws.com').routeClass).toBe('non-eu');
    expect(bedrock('https://bedrock-runtime.eu-west-1.amazonaws.com').routeClass).toBe('eu');
    expect(bedrock('https://bedrock-runtime.eu-west-2.amazonaws.com').routeClass).toBe('non-eu');
    expect(bedrock('https://vpce-0a1b2c.bedrock-runtime.eu-central-1.vpce.amazonaws.com').routeClass).toBe('eu');
    expect(bedrock('https://vpce-0a1b2c.bedrock-runtime.us-east-1.vpce.amazonaws.com').routeClass).toBe('non-eu');
    expect(bedrock('https://bedrock-runtime.eu-central-1.amazonaws.com.evil.example').routeClass).toBe('non-eu');
    expect(bedrock('https://bedrock-proxy.school.lan').routeClass).toBe('non-eu');
    expect(bedrock('http://127.0.0.1:4000').routeClass).toBe('non-eu');
    expect(bedrock('https://bedrock-proxy.school.lan', undefined, { hostResidency: { 'bedrock-proxy.school.lan': 'eu' } }).routeClass).toBe('eu');
    expect(bedrock('http://127.0.0.1:4000', undefined, { hostResidency: { '127.0.0.1': 'local' } }).routeClass).toBe('eu');
    // A named host forwards what it gets: an us. profile still leaves the EU.
    expect(bedrock('https://bedrock-proxy.school.lan', 'us.anthropic.claude-haiku-4-5-20251001-v1:0', { hostResidency: { 'bedrock-proxy.school.lan': 'eu' } }).routeClass).toBe('non-eu');
    // A school may name one port of a machine: host:port wins over the host alone.
    expect(bedrock('http://127.0.0.1:4000', undefined, { hostResidency: { '127.0.0.1:4000': 'eu', '127.0.0.1': 'non-eu' } }).routeClass).toBe('eu');
    expect(bedrock('http://127.0.0.1:4001', undefined, { hostResidency: { '127.0.0.1:4000': 'eu' } }).routeClass).toBe('non-eu');
    expect(bedrock('https://bedrock-proxy.school.lan', undefined, { hostResidency: { 'bedrock-proxy.school.lan:443': 'eu' } }).routeClass).toBe('eu');
    // AWS_ENDPOINT_URL (for every AWS service) counts as well.
    expect(classifyRoute({ prefix: 'bedrock', model: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0' }, config({ AWS_ENDPOINT_URL: 'https://bedrock-runtime.ap-northeast-1.amazonaws.com' }), policy()).routeClass).toBe('non-eu');
  });

  it('Anthropic, OpenAI and OpenRouter at a changed address are what the school says of that host, else non-EU', () => {
    for (const [prefix, variable] of [['anthropic', 'ANTHROPIC_BASE_URL'], ['openai', 'OPENAI_BASE_URL'], ['openrouter', 'OPENROUTER_BASE_URL']] as const) {
      expect(classifyRoute({ prefix, model: 'm' }, config(), policy()).routeClass).toBe('non-eu');
      expect(classifyRoute({ prefix, model: 'm' }, config({ [variable]: 'http://127.0.0.1:9/v1' }), policy()).routeClass).toBe('non-eu');
      expect(classifyRoute({ prefix, model: 'm' }, config({ [variable]: 'https://proxy.school.lan/v1' }), policy({ hostResidency: { 'proxy.school.lan': 'eu' } })).routeClass).toBe('eu');
      // The provider's own address stays outside the EU even if a policy names it.
      expect(classifyRoute({ prefix, model: 'm' }, config(), policy({ hostResidency: { 'api.openai.com': 'eu', 'api.anthropic.com': 'eu', 'openrouter.ai': 'eu' } })).routeClass).toBe('non-eu');
    }
    expect(classifyRoute({ prefix: 'local', model: 'x' }, config({ OLLAMA_HOST: 'gpu.school.lan' }), policy({ hostResidency: { 'gpu.school.lan': 'eu' } })).routeClass).toBe('eu');
  });

  it('the tiers allow what they say, and a refusal names the tier and what to do', () => {
    expect(['local', 'eu', 'non-eu'].map((route) => tierAllows('dsgvo_local', route as 'local'))).toEqual([true, false, false]);
    expect(['local', 'eu', 'non-eu'].map((route) => tierAllows('dsgvo_cloud', route as 'local'))).toEqual([true, true, false]);
    const denial = policyDenial({ routeClass: 'non-eu', provider: 'openai', region: null, host: 'api.openai.com', modelId: 'gpt-4o' }, policy({ tier: 'dsgvo_local' }));
    expect(denial.message).toBe('The privacy setting “Local only (DSGVO)” does not allow sending to OpenAI at api.openai.com: that is outside the EU, or somewhere Atelier cannot tell. Nothing was sent.');
    expect(policyDenial({ routeClass: 'non-eu', provider: 'openai', region: null, host: 'h', modelId: 'm' }, policy({ source: 'policy-file' })).message).toContain('set by your school');
  });
});
