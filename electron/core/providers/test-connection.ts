import type { ConnectionTest } from '../../../shared/providers';
import { collectAnswer } from '../chat/collect';
import { ChatRouter } from '../chat/router';
import { describeAwsAuth, type ProviderConfig } from '../config/provider-config';
import { listModels } from '../models/list-models';
import { cloudDefaults } from '../hardware/hardware-matrix';
import { OllamaService } from '../ollama/ollama-service';
import type { EgressRecorder, NewEgressEntry } from '../privacy/egress-log';
import { policyDenial, schoolDenial, tierAllows, type PrivacyPolicy } from '../privacy/policy';
import { classifyRoute, isLoopbackHost, ollamaRoute } from '../privacy/route';
import type { ProfileFixes } from '../models/bedrock-profiles';
import { configSecrets, scrubPayload, scrubSecrets } from '../secrets/scrub';

/** The region's default fast model, bare: resolved to the region's profile when it needs one. */
const BEDROCK_TEST_MODEL = cloudDefaults.bedrockEu.fast.slice('bedrock/'.length).replace(/^eu\./, '');

/**
 * A minimal real call to a provider: the model list for the key-based APIs (it checks the key and
 * costs nothing), Ollama's version, and for Bedrock a one-token answer from the region's default
 * fast model, so that IAM permissions and model access are checked as a chat would need them.
 */
export async function testConnection(
  provider: string,
  config: ProviderConfig,
  options: { policy: PrivacyPolicy; onEgress?: EgressRecorder; fetch?: typeof fetch; profileFixes?: ProfileFixes | null },
): Promise<ConnectionTest> {
  const started = performance.now();
  // The result is shown in the app and the CLI: scrubbed of every key in use and of anything key-shaped.
  const secrets = configSecrets(config);
  const done = (ok: boolean, detail: string, error: ConnectionTest['error'] = null): ConnectionTest => ({
    provider: scrubSecrets(provider, secrets),
    ok,
    detail: scrubSecrets(detail, secrets),
    error: error && scrubPayload(error, secrets),
    latencyMs: Math.round(performance.now() - started),
  });

  // A test sends data too (a key, a prompt): the privacy tier is checked first, as for a chat.
  const record = (entry: NewEgressEntry) => options.onEgress?.({ ...entry, purpose: 'connection-test' });
  if (provider === 'local' || provider === 'bedrock' || ['anthropic', 'openai', 'openrouter'].includes(provider) || config.endpoints.has(provider)) {
    const model = provider === 'bedrock' ? BEDROCK_TEST_MODEL : '';
    const route = classifyRoute({ prefix: provider, model }, config, options.policy, options.profileFixes ?? null);
    const schoolAllowsProvider = !options.policy.allowedProviders || options.policy.allowedProviders.includes(provider);
    if (!schoolAllowsProvider || !tierAllows(options.policy.tier, route.routeClass)) {
      record({ tier: options.policy.tier, ...route, inputTokens: null, outputTokens: null, outcome: 'refused', errorCode: 'policy_denied' });
      return done(false, `Not tested: the privacy setting does not allow ${provider}.`, schoolAllowsProvider ? policyDenial(route, options.policy) : schoolDenial(provider));
    }
  }

  if (provider === 'local') {
    const status = await new OllamaService(() => config.ollama, { policy: () => options.policy, ...(options.fetch && { fetch: options.fetch }) }).status();
    const route = ollamaRoute(config.ollama.host, options.policy, '');
    if (!isLoopbackHost(route.host)) {
      record({ tier: options.policy.tier, ...route, inputTokens: null, outputTokens: null, outcome: status.running ? 'completed' : 'failed', errorCode: status.problem?.code ?? null });
    }
    if (status.running) return done(true, `Ollama ${status.version} answered at ${status.host}.`);
    return done(false, status.problem?.code === 'permission_denied' ? `The server at ${status.host} refused access.` : `Ollama did not answer at ${status.host}.`, status.problem);
  }

  if (provider === 'bedrock') {
    const model = BEDROCK_TEST_MODEL;
    const router = new ChatRouter({
      config: () => config,
      policy: () => options.policy,
      bedrock: { profileFixes: options.profileFixes ?? null },
      purpose: 'connection-test',
      ...(options.onEgress && { onEgress: options.onEgress }),
    });
    const answer = await collectAnswer(router.stream({ model: `bedrock/${model}`, messages: [{ role: 'user', content: 'Reply with OK.' }], maxTokens: 1 }));
    const using = `${describeAwsAuth(config.bedrock.auth)} (${config.bedrock.authReason})`;
    return answer.error
      ? done(false, `Bedrock in ${config.bedrock.region} refused a one-token answer from ${model}, using ${using}.`, answer.error)
      : done(true, `Bedrock in ${config.bedrock.region} answered with ${model}, using ${using}.`);
  }

  const listing = (await listModels(config, { ...options, purpose: 'connection-test', only: provider })).find((entry) => entry.provider === provider);
  if (!listing) {
    return done(false, `"${provider}" is not a provider Atelier knows.`, {
      code: 'invalid_request',
      message: `"${provider}" is not a provider Atelier knows.`,
      hint: `Test one of: local, bedrock, anthropic, openai, openrouter${config.endpoints.size > 0 ? `, ${[...config.endpoints.keys()].join(', ')}` : ''}.`,
    });
  }
  const keyed = provider === 'anthropic' || provider === 'openai' || provider === 'openrouter' ? config[provider] : config.endpoints.get(provider);
  if (listing.error?.code === 'auth_invalid' && keyed && !keyed.apiKey) {
    // Nothing was wrong with a key: there was none to send.
    return done(false, `${provider} needs a key, and none is set.`, { code: 'credentials_missing', message: `${provider} asks for a key, and Atelier has none for it.`, hint: `Save it in the keychain: atelier auth set ${keyed.secretName} < key.txt (or set ${keyed.keyVariable}).` });
  }
  if (listing.error) return done(false, listingFailure(provider, listing.error.code), listing.error);
  return keyed?.apiKey
    ? done(true, `${provider} accepted the key and lists ${listing.models.length} models.`)
    : done(true, `${provider} answered without a key and lists ${listing.models.length} models. (No key is set; if it needs one: atelier auth set ${keyed?.secretName ?? provider}.)`);
}

/** What a failed model listing means, in words that do not blame the key for a server that is down. */
function listingFailure(provider: string, code: string): string {
  switch (code) {
    case 'provider_unreachable':
    case 'timeout':
      return `${provider} did not answer.`;
    case 'auth_invalid':
    case 'credentials_expired':
    case 'credentials_missing':
      return `${provider} did not accept the key.`;
    case 'permission_denied':
      return `${provider} accepted the key but does not allow listing models with it.`;
    default:
      return `${provider} could not list its models.`;
  }
}
