import type { TFunction } from 'i18next';
import type { Provenance } from '../../shared/privacy';

/** Built-in providers by their model-id prefix, as people know them. */
const PROVIDER_NAMES: Record<string, string> = {
  local: 'Ollama',
  bedrock: 'AWS Bedrock',
  anthropic: 'Anthropic',
  openai: 'OpenAI',
  openrouter: 'OpenRouter',
};

/** A provider by its prefix: the built-in's name, an endpoint's own name, else the prefix itself. */
export function providerLabel(provider: string, endpoints: readonly { prefix: string; name: string }[] = []): string {
  return PROVIDER_NAMES[provider] ?? endpoints.find((endpoint) => endpoint.prefix === provider)?.name ?? provider;
}

/**
 * Why a model did not answer or a route is resting, in words: `cooling`, a skipped fallback's
 * `not-allowed` and `budget`, and every error code a provider's answer can end with. A code
 * this version does not know is shown as it is rather than hidden.
 */
const REASON_KEYS: Record<string, string> = {
  cooling: 'reliability.reason_cooling',
  rate_limited: 'reliability.reason_rate_limited',
  provider_error: 'reliability.reason_provider_error',
  provider_unreachable: 'reliability.reason_provider_unreachable',
  timeout: 'reliability.reason_timeout',
  quota_exceeded: 'reliability.reason_quota_exceeded',
  auth_invalid: 'reliability.reason_auth_invalid',
  credentials_missing: 'reliability.reason_credentials_missing',
  credentials_expired: 'reliability.reason_credentials_expired',
  model_not_found: 'reliability.reason_model_not_found',
  permission_denied: 'reliability.reason_permission_denied',
  model_access_denied: 'reliability.reason_model_access_denied',
  inference_profile_required: 'reliability.reason_inference_profile_required',
  invalid_request: 'reliability.reason_invalid_request',
  policy_denied: 'reliability.reason_policy_denied',
  budget_exceeded: 'reliability.reason_budget_exceeded',
  'not-allowed': 'reliability.reason_not_allowed',
  budget: 'reliability.reason_budget',
};

export function reasonText(t: TFunction, code: string): string {
  const key = REASON_KEYS[code];
  return key ? t(key) : code;
}

/**
 * A moment as the clock reads in the UI's language (09:05, 9:05 AM), with the date when it is
 * not today (a provider that asked to wait a day).
 */
export function formatClock(iso: string, language: string, now: Date = new Date()): string {
  const when = new Date(iso);
  const sameDay = when.toDateString() === now.toDateString();
  return sameDay ? when.toLocaleTimeString(language, { timeStyle: 'short' }) : when.toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The answering model as `provider/model`, as model ids are written everywhere else. */
export const answeringModel = (provenance: Provenance) => `${provenance.provider}/${provenance.modelId}`;
