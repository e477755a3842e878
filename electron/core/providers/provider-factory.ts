import { AtelierError } from '../../../shared/errors';
import { missingKeyHint, type ProviderConfig } from '../config/provider-config';
import type { BedrockProviderOptions } from './bedrock';
import type { OpenAiCompatibleOptions } from './openai-compatible';
import { OPENROUTER_ATTRIBUTION } from './openrouter-attribution';
import { lazyProvider, type Provider } from './provider';
import { withKeyBudgetReset } from '../school/budget-reset';

/**
 * The provider for a model-id prefix, from its configuration: the configuration as a cache key
 * (the router keeps one provider, and so one SDK client, per prefix while it stays the same), and
 * how to build it. Each provider's module (and its SDK) loads when that provider is first asked.
 */
export function providerFactory(prefix: string, config: ProviderConfig, options: { fetch?: typeof fetch; bedrock?: BedrockProviderOptions } = {}): [string, () => Provider] {
  const fetchImpl = options.fetch;
  switch (prefix) {
    // Each provider's module (and so its SDK) loads when that provider is first asked: the app's
    // window and a CLI command that never talks to AWS do not wait for the AWS SDK.
    case 'local':
      return [JSON.stringify(config.ollama), () => lazyProvider(prefix, async () => (await import('./ollama')).createOllamaProvider(config.ollama, fetchImpl))];
    case 'anthropic':
      return [JSON.stringify(config.anthropic), () => lazyProvider(prefix, async () => (await import('./anthropic')).createAnthropicProvider(config.anthropic, fetchImpl))];
    case 'bedrock':
      return [JSON.stringify(config.bedrock), () => lazyProvider(prefix, async () => (await import('./bedrock')).createBedrockProvider(config.bedrock, options.bedrock))];
    case 'openai':
      return [
        JSON.stringify(config.openai),
        () =>
          openAiCompatible({
            prefix,
            displayName: 'OpenAI',
            baseUrl: config.openai.baseUrl,
            apiKey: config.openai.apiKey,
            keySource: config.openai.keySource,
            missingKeyHint: missingKeyHint(config.openai, 'OpenAI'),
            keyRequired: true,
            maxTokensField: 'max_completion_tokens',
            ...(fetchImpl && { fetch: fetchImpl }),
          }),
      ];
    case 'openrouter':
      return [
        JSON.stringify(config.openrouter),
        () =>
          openAiCompatible({
            prefix,
            displayName: 'OpenRouter',
            baseUrl: config.openrouter.baseUrl,
            apiKey: config.openrouter.apiKey,
            keySource: config.openrouter.keySource,
            missingKeyHint: missingKeyHint(config.openrouter, 'OpenRouter'),
            keyRequired: true,
            maxTokensField: 'max_tokens',
            defaultHeaders: OPENROUTER_ATTRIBUTION,
            ...(fetchImpl && { fetch: fetchImpl }),
          }),
      ];
    default: {
      const endpoint = config.endpoints.get(prefix);
      if (!endpoint) throw new AtelierError('invalid_request', `"${prefix}" is not a provider Atelier knows.`);
      // Any custom endpoint may be a school's LiteLLM proxy: its budget and rate-limit refusals
      // are read as such, and a budget refusal says when the key's budget starts again.
      return [
        JSON.stringify(endpoint),
        () =>
          withKeyBudgetReset(
            openAiCompatible({
              prefix,
              displayName: endpoint.name,
              baseUrl: endpoint.baseUrl,
              apiKey: endpoint.apiKey,
              keySource: endpoint.keySource,
              missingKeyHint: missingKeyHint(endpoint, endpoint.name),
              keyRequired: false,
              maxTokensField: 'max_tokens',
              liteLlmErrors: true,
              ...(fetchImpl && { fetch: fetchImpl }),
            }),
            endpoint,
            fetchImpl,
          ),
      ];
    }
  }
}

/** An OpenAI-compatible provider whose module (and the `openai` SDK) loads on its first request. */
function openAiCompatible(options: OpenAiCompatibleOptions): Provider {
  return lazyProvider(options.prefix, async () => (await import('./openai-compatible')).createOpenAiCompatibleProvider(options));
}
