import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PrivacyTier, RouteClass } from '../../shared/choices';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { collectAnswer } from '../../electron/core/chat/collect';
import { ChatRouter } from '../../electron/core/chat/router';
import { resolveProviderConfig } from '../../electron/core/config/provider-config';
import type { PrivacyPolicy } from '../../electron/core/privacy/policy';
import type { LoopbackServer, RecordedRequest } from '../fakes/loopback-server';
import { useProviderFakes } from '../support/provider-fakes';

const useFakes = useProviderFakes();

// Prefixes as typed, tricky ones included: case, look-alike letters (Cyrillic о, Greek ο), spaces.
const prefixes = ['local', 'bedrock', 'anthropic', 'openai', 'openrouter', 'school', 'LOCAL', 'Bedrock', 'lоcal', 'bedrοck', ' local', 'local ', 'ollama', ''];
const models = [
  'llama3.2:3b',
  '..',
  '../',
  '../../etc/passwd',
  'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
  'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'apac.anthropic.claude-3-7-sonnet-20250219-v1:0',
  'jp.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'EU.anthropic.claude-haiku-4-5-20251001-v1:0',
  'еu.anthropic.claude-haiku-4-5-20251001-v1:0', // Cyrillic е
  'anthropic.claude-3-5-haiku-20241022-v1:0',
  'anthropic.claude-sonnet-4-5-20250929-v1:0',
  'amazon.nova-pro-v1:0',
  'arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-pro-v1:0',
  'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0',
  'arn:aws:bedrock:eu-central-1:111122223333:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0',
  'anthropic/claude-sonnet-4.5',
  'gpt-fake-mini',
];
const regions = ['eu-central-1', 'eu-west-1', 'eu-north-1', 'eu-south-2', 'eu-west-2', 'eu-central-2', 'us-east-1', 'us-west-2', 'ap-northeast-1', 'sa-east-1'];
/** The EU's AWS regions, written out here for the oracle: London (eu-west-2) and Zurich (eu-central-2) are not in the EU. */
const EU = new Set(['eu-central-1', 'eu-west-1', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2']);
const ollamaHosts = ['fake', 'localhost', 'school-gpu.invalid', '0.0.0.0'] as const;
const residencies: (RouteClass | null)[] = [null, 'eu', 'local', 'non-eu'];
/**
 * How each cloud provider's address is changed (the environment's base URL, or the custom
 * endpoint's URL in settings): every fake listens on 127.0.0.1, reached by that address or by
 * the name `localhost`, and the school's policy may name either host, or none, with a residency.
 */
const addressHosts = ['127.0.0.1', 'localhost'] as const;
type AddressHost = (typeof addressHosts)[number];
const overridable = ['bedrock', 'anthropic', 'openai', 'openrouter', 'school'] as const;
const URL_VARIABLES = { bedrock: 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME', anthropic: 'ANTHROPIC_BASE_URL', openai: 'OPENAI_BASE_URL', openrouter: 'OPENROUTER_BASE_URL' } as const;

const caseArbitrary = fc.record({
  tier: fc.constantFrom<PrivacyTier>('dsgvo_local', 'dsgvo_cloud'),
  region: fc.constantFrom(...regions),
  ollamaHost: fc.constantFrom(...ollamaHosts),
  schoolResidency: fc.constantFrom(...residencies),
  /** The host the school's declared residency holds for (the policy's endpoints.school.url), if any. */
  schoolResidencyHost: fc.constantFrom<AddressHost | null>(null, ...addressHosts),
  /** Hosts the school's policy names (`hosts`), each with a residency. */
  namedHosts: fc.record({ '127.0.0.1': fc.constantFrom(...residencies), localhost: fc.constantFrom(...residencies) }),
  /** The host each provider's changed address uses. */
  addresses: fc.record(Object.fromEntries(overridable.map((name) => [name, fc.constantFrom(...addressHosts)])) as Record<(typeof overridable)[number], fc.Arbitrary<AddressHost>>),
  modelId: fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...prefixes), fc.constantFrom(...models)).map(([prefix, model]) => `${prefix}/${model}`) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...prefixes), fc.string({ maxLength: 20 })).map(([prefix, model]) => `${prefix}/${model}`) },
  ),
});

interface WireCase {
  tier: PrivacyTier;
  schoolResidency: RouteClass | null;
  schoolResidencyHost: AddressHost | null;
  namedHosts: Record<AddressHost, RouteClass | null>;
}

/**
 * What each fake received, judged by what is on the wire alone (not by Atelier's classifier):
 * the host the request was addressed to (its Host or :authority header) looked up in what the
 * case's policy file says of hosts, and for Bedrock also the region in the SigV4 credential scope
 * and the model in the URL.
 */
function forbiddenOnTheWire(fake: string, request: RecordedRequest, { tier, schoolResidency, schoolResidencyHost, namedHosts }: WireCase): boolean {
  if (fake === 'ollama') return false; // loopback: this machine
  const allowed = (routeClass: RouteClass | null) => routeClass === 'local' || (routeClass === 'eu' && tier === 'dsgvo_cloud');
  const authority = String(request.headers.host ?? request.headers[':authority'] ?? '');
  const host = authority.replace(/:\d+$/, '') as AddressHost;
  const named = namedHosts[host] ?? null;
  if (fake === 'school') return !(allowed(named) || (named === null && schoolResidencyHost === host && allowed(schoolResidency)));
  if (fake !== 'bedrock') return !allowed(named); // Anthropic, OpenAI, OpenRouter: only at a host the school names
  if (tier !== 'dsgvo_cloud' || !allowed(named)) return true;
  const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(request.headers.authorization))?.[1] ?? '';
  const model = decodeURIComponent(request.path.split('/')[2] ?? '');
  const euModel = model.startsWith('eu.') || !/^(us|us-gov|apac|jp|au|ca|global)\./.test(model);
  const arn = /^arn:aws:bedrock:([a-z0-9-]+):\d*:foundation-model\//.exec(model);
  const arnOutsideEu = model.startsWith('arn:') && !(arn && EU.has(arn[1] ?? ''));
  return !EU.has(region) || !euModel || arnOutsideEu;
}

/** The same fake's URL, addressed by another name for this machine. */
function at(url: string, host: AddressHost): string {
  return url.replace('//127.0.0.1:', `//${host}:`);
}

describe('privacy tiers, property-based: nothing forbidden ever reaches a fake', () => {
  it('1,200 generated model ids and settings under dsgvo_local and dsgvo_cloud', async () => {
    const fakes = useFakes();
    const servers: Record<string, LoopbackServer> = {
      ollama: fakes.ollama,
      bedrock: fakes.bedrock,
      anthropic: fakes.anthropic,
      openai: fakes.openai,
      openrouter: fakes.openrouter,
      school: fakes.school,
    };
    let refused = 0;
    let sent = 0;

    await fc.assert(
      fc.asyncProperty(caseArbitrary, async ({ tier, region, ollamaHost, schoolResidency, schoolResidencyHost, namedHosts, addresses, modelId }) => {
        const ollamaPort = new URL(fakes.ollama.url).port;
        const host = ollamaHost === 'fake' ? fakes.ollama.url : ollamaHost === 'school-gpu.invalid' ? 'http://school-gpu.invalid:11434' : `${ollamaHost}:${ollamaPort}`;
        const settings: Settings = {
          ...DEFAULT_SETTINGS,
          privacy: { tier },
          ollama: { ...DEFAULT_SETTINGS.ollama, host },
          bedrock: { ...DEFAULT_SETTINGS.bedrock, region },
          endpoints: [{ prefix: 'school', name: 'School', baseUrl: `${at(fakes.school.url, addresses.school)}/v1` }],
        };
        const env = { ...fakes.env, ...Object.fromEntries(Object.entries(URL_VARIABLES).map(([name, variable]) => [variable, at(fakes.env[variable] ?? '', addresses[name as keyof typeof URL_VARIABLES])])) };
        const policy: PrivacyPolicy = {
          tier,
          allowedOllamaHosts: [],
          endpointResidency: schoolResidency ? { school: schoolResidency } : {},
          endpointHosts: schoolResidencyHost ? { school: schoolResidencyHost } : {},
          hostResidency: Object.fromEntries(Object.entries(namedHosts).filter(([, residency]) => residency !== null)) as Record<string, RouteClass>,
          source: 'settings',
        };
        const before = Object.fromEntries(Object.entries(servers).map(([name, server]) => [name, server.requests.length]));
        const router = new ChatRouter({ config: () => resolveProviderConfig(settings, env), policy: () => policy });
        const answer = await collectAnswer(router.stream({ model: modelId, messages: [{ role: 'user', content: 'Geheime Noten der Klasse 7b' }] }, AbortSignal.timeout(10_000)));

        const reached = Object.entries(servers).flatMap(([name, server]) => server.requests.slice(before[name]).map((request) => ({ name, request })));
        for (const { name, request } of reached) {
          expect(forbiddenOnTheWire(name, request, { tier, schoolResidency, schoolResidencyHost, namedHosts }), `${modelId} under ${tier} in ${region} reached ${name} at ${String(request.headers.host ?? request.headers[':authority'])}: ${request.path}`).toBe(false);
        }
        if (reached.length === 0 && answer.error && ['policy_denied', 'invalid_request'].includes(answer.error.code)) refused++;
        if (reached.length > 0) sent++;
        // A refusal is always said as one, before anything is sent.
        if (answer.error?.code === 'policy_denied') expect(reached).toEqual([]);
        // A request the tier forbids is refused, not merely lost on the way: an Ollama host that is
        // not this machine (and not named by the school) must end in policy_denied, never in an
        // attempt to connect.
        if (modelId.startsWith('local/') && ollamaHost === 'school-gpu.invalid') {
          expect(answer.error?.code, `${modelId} to school-gpu.invalid under ${tier}`).toMatch(/^(policy_denied|invalid_request)$/);
        }
        // Likewise a cloud provider at a changed address the school does not name, and every
        // non-EU Bedrock region under either tier.
        const provider = /^(bedrock|anthropic|openai|openrouter)\/./.exec(modelId)?.[1] as keyof typeof URL_VARIABLES | undefined;
        if (provider && (namedHosts[addresses[provider]] === null || namedHosts[addresses[provider]] === 'non-eu' || (provider === 'bedrock' && !EU.has(region)))) {
          expect(answer.error?.code, `${modelId} under ${tier} in ${region} at ${addresses[provider]}`).toMatch(/^(policy_denied|invalid_request)$/);
        }
      }),
      { numRuns: 1200, seed: 20261122 },
    );
    // The generator must exercise both outcomes, or the property proves little.
    expect(refused).toBeGreaterThan(300);
    expect(sent).toBeGreaterThan(50);
  }, 120_000);
});
