import { AtelierError, type ErrorPayload } from '../../../shared/errors';
import type { SchoolServerStatus } from '../../../shared/school-server';
import { maskUrlCredentials } from '../../../shared/url-credentials';
import type { EndpointConfig, ProviderConfig } from '../config/provider-config';
import { recordBeforeSending, type EgressCompletion, type EgressRecorder, type NewEgressEntry } from '../privacy/egress-log';
import { policyDenial, schoolDenial, tierAllows, type PrivacyPolicy } from '../privacy/policy';
import { classifyRoute } from '../privacy/route';
import { credentialsMissing, errorForNetwork, redactSecrets } from '../providers/provider-errors';
import { scrubPayload } from '../secrets/scrub';
import { askKeyInfo, type KeyInfoAnswer } from './key-info';

export interface SchoolStatusOptions {
  /** Receives the record of each /key/info question (a `connection-test`), and of each refusal. */
  onEgress?: EgressRecorder;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Ask this endpoint whatever it is (detecting a LiteLLM proxy when it is added), and no other. */
  only?: string;
  /** How long one server may take to answer, in milliseconds (10 s unless said). */
  timeoutMs?: number;
}

/** The endpoints that are school servers: the policy file's, and those found to be LiteLLM proxies. */
export function schoolServers(config: ProviderConfig, policy: PrivacyPolicy): EndpointConfig[] {
  return [...config.endpoints.values()].filter((endpoint) => endpoint.prefix === policy.schoolServer || endpoint.kind === 'litellm');
}

/**
 * What each school server says of the student's key (`GET /key/info`): its budget, what is left,
 * when it starts again, its rate limits; and whether the server is a LiteLLM proxy at all. The
 * question carries the key, so it is asked only where the privacy tier and the school's lists
 * allow the endpoint, and each question (or refusal of a configured one) goes to the egress record.
 * One server failing does not hide the others. For `atelier doctor` and the app.
 */
export async function schoolServerStatus(config: ProviderConfig, policy: PrivacyPolicy, options: SchoolStatusOptions = {}): Promise<SchoolServerStatus[]> {
  const endpoints = options.only === undefined ? schoolServers(config, policy) : [...config.endpoints.values()].filter((endpoint) => endpoint.prefix === options.only);
  return Promise.all(endpoints.map((endpoint) => statusOf(endpoint, config, policy, options)));
}

async function statusOf(endpoint: EndpointConfig, config: ProviderConfig, policy: PrivacyPolicy, options: SchoolStatusOptions): Promise<SchoolServerStatus> {
  const base = {
    provider: endpoint.prefix,
    name: endpoint.name,
    baseUrl: maskUrlCredentials(endpoint.baseUrl),
    source: endpoint.prefix === policy.schoolServer ? ('policy' as const) : ('settings' as const),
  };
  const route = { ...classifyRoute({ prefix: endpoint.prefix, model: '' }, config, policy), modelId: '' };
  const entry: NewEgressEntry = { purpose: 'connection-test', tier: policy.tier, ...route, inputTokens: null, outputTokens: null, outcome: 'completed', errorCode: null };
  const schoolAllowsIt = !policy.allowedProviders || policy.allowedProviders.includes(endpoint.prefix);
  if (!schoolAllowsIt || !tierAllows(policy.tier, route.routeClass)) {
    if (endpoint.apiKey !== null) record(options.onEgress, { ...entry, outcome: 'refused', errorCode: 'policy_denied' });
    return { ...base, litellm: null, key: null, error: schoolAllowsIt ? policyDenial(route, policy) : schoolDenial(endpoint.prefix) };
  }
  let complete: EgressCompletion;
  try {
    complete = recordBeforeSending(options.onEgress, entry);
  } catch (error) {
    if (!(error instanceof AtelierError)) throw error;
    return { ...base, litellm: null, key: null, error: error.toPayload() };
  }
  let answer: KeyInfoAnswer;
  try {
    answer = await askKeyInfo(endpoint.baseUrl, endpoint.apiKey, {
      ...(options.fetch && { fetch: options.fetch }),
      ...(options.signal && { signal: options.signal }),
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    });
  } catch (error) {
    const context = { provider: endpoint.name, model: '', address: endpoint.baseUrl, secrets: endpoint.apiKey ? [endpoint.apiKey] : [], call: 'other' as const };
    const unreachable: ErrorPayload = errorForNetwork(error, context, `Check the address (${maskUrlCredentials(endpoint.baseUrl)}) and the network.`) ?? {
      code: 'provider_unreachable',
      message: `Atelier could not ask ${endpoint.name} about the key.`,
      hint: `Check the address (${maskUrlCredentials(endpoint.baseUrl)}) and the network.`,
    };
    complete({ outcome: 'failed', errorCode: unreachable.code, inputTokens: null, outputTokens: null });
    return { ...base, litellm: null, key: null, error: scrubPayload(unreachable, context.secrets) };
  }
  const problem = keyProblem(answer, endpoint);
  complete({ outcome: problem ? 'failed' : 'completed', errorCode: problem?.code ?? null, inputTokens: null, outputTokens: null });
  return { ...base, litellm: answer.litellm, key: answer.litellm ? answer.key : null, ...(problem && { error: problem }) };
}

/** Why a LiteLLM proxy gave no key information: no key saved, or a key it does not take. */
function keyProblem(answer: KeyInfoAnswer, endpoint: EndpointConfig): ErrorPayload | null {
  if (!answer.litellm || answer.key !== null) return null;
  if (endpoint.apiKey === null) {
    return credentialsMissing(endpoint.name, `Save your key for it: atelier auth set ${endpoint.secretName} < key.txt (or set ${endpoint.keyVariable}).`);
  }
  return {
    code: 'auth_invalid',
    message: `${endpoint.name} did not accept the key. It said: “${redactSecrets(answer.message, [endpoint.apiKey])}”`,
    hint: `Check the key in ${endpoint.keySource}: it may be mistyped, or revoked on the school’s server.`,
  };
}

function record(recorder: EgressRecorder | undefined, entry: NewEgressEntry): void {
  try {
    recorder?.(entry);
  } catch {
    // The refusal's record is best effort: nothing was sent.
  }
}
