import { isOllamaAddress, type BedrockSettings, type Settings } from '../../../shared/settings';
import { printable } from '../../../shared/text';
import { maskUrlCredentials } from '../../../shared/url-credentials';
import type { Timeouts } from '../reliability/attempt';

type Env = Readonly<Record<string, string | undefined>>;

/** Where a value came from, so `atelier doctor` and the UI can say why a provider is set up as it is. */
export type Source = 'settings' | 'environment' | 'default';

export interface OllamaConfig {
  host: string;
  hostSource: Source;
  /** OLLAMA_HOST holds something that is no address: said, and nothing is sent anywhere. */
  hostProblem?: string;
  /**
   * The num_ctx the user fixed in settings, in tokens; null: chosen per model from `vramBytes`
   * (core/hardware/context-size.ts, through `ollamaNumCtx`).
   */
  numCtx: number | null;
  /**
   * The GPU memory num_ctx is planned with, in bytes: the user's override, else the detected
   * (0: none, models run on the CPU); null while the hardware is not known yet.
   */
  vramBytes: number | null;
  keepAlive: string;
}

export interface KeyedProviderConfig {
  baseUrl: string;
  /** null when no key is configured: requests fail with credentials_missing before any I/O. */
  apiKey: string | null;
  /** The environment variable the key may come from. */
  keyVariable: string;
  /** The keychain entry the key may come from (`atelier auth set <name>`). */
  secretName: string;
  /** Where the key in use came from, in words for hints: "ANTHROPIC_API_KEY", "the keychain". */
  keySource: string;
}

/** The AWS credentials Bedrock calls use. Secrets are here only in memory, never written out. */
export type AwsAuth =
  | { kind: 'keys'; accessKeyId: string; secretAccessKey: string; sessionToken?: string; from: 'keychain' | 'environment' }
  | { kind: 'api-key'; token: string; from: 'keychain' | 'environment' }
  | { kind: 'profile'; profile: string; configFile: string | null; credentialsFile: string | null }
  | { kind: 'default-chain' }
  /** The source chosen in Settings has nothing: `looked` says where Atelier looked. */
  | { kind: 'none'; looked: string[] };

export interface BedrockConfig {
  region: string;
  regionSource: Source;
  /** An endpoint override (AWS_ENDPOINT_URL_BEDROCK_RUNTIME), or null for AWS's own. */
  endpoint: string | null;
  /** The control-plane override (AWS_ENDPOINT_URL_BEDROCK) for model listings, or null. */
  controlEndpoint?: string | null;
  auth: AwsAuth;
  /** Why this source: "chosen in Settings", or that it was the first one found. */
  authReason: string;
}

export interface EndpointConfig extends KeyedProviderConfig {
  prefix: string;
  name: string;
  /** `litellm`: a LiteLLM proxy, as its /key/info answer showed (see Endpoint.kind). */
  kind?: 'litellm';
}

/** Every provider's address and key, resolved once from settings and the environment. */
export interface ProviderConfig {
  ollama: OllamaConfig;
  anthropic: KeyedProviderConfig;
  openai: KeyedProviderConfig;
  openrouter: KeyedProviderConfig;
  bedrock: BedrockConfig;
  endpoints: ReadonlyMap<string, EndpointConfig>;
  /** How long an answer may take to start, and to go on between two pieces of text. */
  timeouts?: Timeouts;
}

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
/** Frankfurt: the default keeps data in the EU unless the user picks another region. */
export const DEFAULT_BEDROCK_REGION = 'eu-central-1';

/** VRAM is sold in binary units: a "12 GB" card has 12 GiB. */
const GIB = 1024 ** 3;

/**
 * Reads the standard variables (ANTHROPIC_API_KEY, OPENAI_BASE_URL, OLLAMA_HOST, AWS_REGION, …)
 * here, once, and hands every SDK explicit values, so no SDK picks up a variable or a config file
 * on its own and sends a prompt somewhere the user did not choose. `detectedVramBytes` is the
 * GPU memory the last hardware detection found (null when none is known), for num_ctx.
 */
export function resolveProviderConfig(settings: Settings, env: Env, secrets: ReadonlyMap<string, string> = new Map(), detectedVramBytes: number | null = null): ProviderConfig {
  const ollamaHost = settings.ollama.host ?? nonEmpty(env.OLLAMA_HOST);
  const hostProblem = ollamaHost !== undefined && !isOllamaAddress(ollamaHost) ? `${settings.ollama.host !== null ? 'The Ollama address in Settings' : 'OLLAMA_HOST'} (“${printable(maskUrlCredentials(ollamaHost), 80)}”) is not an address Atelier can use.` : undefined;
  const region = settings.bedrock.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  return {
    ollama: {
      host: ollamaHost === undefined ? DEFAULT_OLLAMA_HOST : normalizeOllamaHost(ollamaHost),
      hostSource: settings.ollama.host !== null ? 'settings' : ollamaHost !== undefined ? 'environment' : 'default',
      ...(hostProblem && { hostProblem }),
      numCtx: settings.ollama.numCtx,
      vramBytes: settings.hardware.vramOverrideGb !== null ? Math.round(settings.hardware.vramOverrideGb * GIB) : detectedVramBytes,
      keepAlive: settings.ollama.keepAlive,
    },
    anthropic: keyed(env, secrets, 'anthropic', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'https://api.anthropic.com'),
    openai: keyed(env, secrets, 'openai', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'https://api.openai.com/v1'),
    openrouter: keyed(env, secrets, 'openrouter', 'OPENROUTER_API_KEY', 'OPENROUTER_BASE_URL', 'https://openrouter.ai/api/v1'),
    bedrock: {
      region: region ?? DEFAULT_BEDROCK_REGION,
      regionSource: settings.bedrock.region !== null ? 'settings' : region !== undefined ? 'environment' : 'default',
      endpoint: nonEmpty(env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME) ?? nonEmpty(env.AWS_ENDPOINT_URL) ?? null,
      controlEndpoint: nonEmpty(env.AWS_ENDPOINT_URL_BEDROCK) ?? null,
      ...resolveAwsAuth(settings, env, secrets),
    },
    timeouts: { firstTokenMs: settings.reliability.firstTokenTimeoutS * 1000, idleMs: settings.reliability.idleTimeoutS * 1000 },
    endpoints: new Map(
      settings.endpoints.map((endpoint) => {
        const keyVariable = endpointKeyVariable(endpoint.prefix);
        const secretName = `endpoint:${endpoint.prefix}`;
        const fromKeychain = secrets.get(secretName);
        const config: EndpointConfig = {
          prefix: endpoint.prefix,
          name: endpoint.name,
          baseUrl: endpoint.baseUrl,
          apiKey: fromKeychain ?? nonEmpty(env[keyVariable]) ?? null,
          keyVariable,
          secretName,
          keySource: fromKeychain ? `the key saved in Atelier (${secretName})` : keyVariable,
          ...(endpoint.kind && { kind: endpoint.kind }),
        };
        return [endpoint.prefix, config];
      }),
    ),
  };
}

/**
 * Bedrock's credentials, in Atelier's order unless the user picked one: access keys saved in the
 * keychain, a Bedrock API key, the AWS_* variables, a named profile (settings, else AWS_PROFILE),
 * the AWS default chain.
 */
function resolveAwsAuth(settings: Settings, env: Env, secrets: ReadonlyMap<string, string>): Pick<BedrockConfig, 'auth' | 'authReason'> {
  const keychainKeys = keysFrom(secrets.get('aws-access-key-id'), secrets.get('aws-secret-access-key'), secrets.get('aws-session-token'), 'keychain');
  const apiKeyInKeychain = secrets.get('bedrock-api-key');
  const apiKeyInEnv = nonEmpty(env.AWS_BEARER_TOKEN_BEDROCK);
  const apiKey: AwsAuth | null = apiKeyInKeychain
    ? { kind: 'api-key', token: apiKeyInKeychain, from: 'keychain' }
    : apiKeyInEnv
      ? { kind: 'api-key', token: apiKeyInEnv, from: 'environment' }
      : null;
  const envKeys = keysFrom(nonEmpty(env.AWS_ACCESS_KEY_ID), nonEmpty(env.AWS_SECRET_ACCESS_KEY), nonEmpty(env.AWS_SESSION_TOKEN), 'environment');
  const profileName = settings.bedrock.profile ?? nonEmpty(env.AWS_PROFILE) ?? null;
  const profile: AwsAuth | null = profileName
    ? { kind: 'profile', profile: profileName, configFile: nonEmpty(env.AWS_CONFIG_FILE) ?? null, credentialsFile: nonEmpty(env.AWS_SHARED_CREDENTIALS_FILE) ?? null }
    : null;
  const looked: Record<Exclude<BedrockSettings['credentialSource'], 'auto'>, string> = {
    keychain: 'access keys saved in Atelier ("atelier auth set aws-access-key-id" and aws-secret-access-key)',
    'api-key': 'a Bedrock API key (saved in Atelier as bedrock-api-key, or AWS_BEARER_TOKEN_BEDROCK)',
    environment: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment of the app',
    profile: 'an AWS profile (set one in Settings, or AWS_PROFILE)',
    'default-chain': 'the AWS default credential chain',
  };
  const chosen = settings.bedrock.credentialSource;
  const options: Record<Exclude<BedrockSettings['credentialSource'], 'auto'>, AwsAuth | null> = {
    keychain: keychainKeys,
    'api-key': apiKey,
    environment: envKeys,
    profile,
    'default-chain': { kind: 'default-chain' },
  };
  if (chosen !== 'auto') {
    const auth = options[chosen];
    return auth ? { auth, authReason: 'chosen in Settings' } : { auth: { kind: 'none', looked: [looked[chosen]] }, authReason: 'chosen in Settings' };
  }
  for (const source of ['keychain', 'api-key', 'environment', 'profile'] as const) {
    const auth = options[source];
    if (auth) return { auth, authReason: `the first found, in this order: ${Object.keys(looked).join(', ')}` };
  }
  return { auth: { kind: 'default-chain' }, authReason: 'nothing else was found, so the AWS default credential chain is asked' };
}

function keysFrom(accessKeyId: string | undefined, secretAccessKey: string | undefined, sessionToken: string | undefined, from: 'keychain' | 'environment'): AwsAuth | null {
  if (!accessKeyId || !secretAccessKey) return null;
  return { kind: 'keys', accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }), from };
}

/** Secrets the credentials hold, for scrubbing what AWS says. */
export function awsSecrets(auth: AwsAuth): string[] {
  return auth.kind === 'keys' ? [auth.secretAccessKey, auth.accessKeyId, auth.sessionToken ?? ''].filter(Boolean) : auth.kind === 'api-key' ? [auth.token] : [];
}

/** The credentials in use, in words, with a key id masked: for the UI, doctor, and hints. */
export function describeAwsAuth(auth: AwsAuth): string {
  switch (auth.kind) {
    case 'keys':
      return `${auth.sessionToken ? 'temporary ' : ''}access keys ${auth.from === 'keychain' ? 'saved in Atelier' : 'from AWS_ACCESS_KEY_ID'} (${auth.accessKeyId.slice(0, 4)}…${auth.accessKeyId.slice(-4)})`;
    case 'api-key':
      return `a Bedrock API key ${auth.from === 'keychain' ? 'saved in Atelier' : 'from AWS_BEARER_TOKEN_BEDROCK'}`;
    case 'profile':
      return `the AWS profile “${auth.profile}”`;
    case 'default-chain':
      return 'the AWS default credential chain';
    case 'none':
      return 'none';
  }
}

/** AWS's own Bedrock Runtime host for a region. */
export function bedrockDefaultHost(region: string): string {
  return `bedrock-runtime.${region}.amazonaws.com`;
}

/** `school-proxy` → `ATELIER_ENDPOINT_SCHOOL_PROXY_KEY`. */
export function endpointKeyVariable(prefix: string): string {
  return `ATELIER_ENDPOINT_${prefix.toUpperCase().replace(/-/g, '_')}_KEY`;
}

/**
 * Turns any OLLAMA_HOST form into a URL Atelier can call: `0.0.0.0`, `:11434`, `[::]:8080`,
 * `host:port`, `https://host`. A bind-everything address (what the server listens on) means
 * "this machine" to a client.
 */
export function normalizeOllamaHost(value: string): string {
  let text = value.trim();
  const scheme = /^(https?):\/\//i.exec(text)?.[1]?.toLowerCase() ?? 'http';
  text = text.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  const match = /^(\[[^\]]*\]|[^:/]*)(?::(\d+))?(\/.*)?$/.exec(text);
  let host = match?.[1] ?? '';
  const port = match?.[2] ?? (scheme === 'https' ? '443' : '11434');
  const path = match?.[3] ?? '';
  if (host === '' || host === '0.0.0.0' || host === '[::]' || host === '::') host = '127.0.0.1';
  return `${scheme}://${host}:${port}${path}`;
}

/** The keychain first (what the user saved in Atelier), then the environment variable. */
function keyed(env: Env, secrets: ReadonlyMap<string, string>, secretName: string, keyVariable: string, urlVariable: string, defaultUrl: string): KeyedProviderConfig {
  const fromKeychain = secrets.get(secretName);
  return {
    baseUrl: (nonEmpty(env[urlVariable]) ?? defaultUrl).replace(/\/+$/, ''),
    apiKey: fromKeychain ?? nonEmpty(env[keyVariable]) ?? null,
    keyVariable,
    secretName,
    keySource: fromKeychain ? `the key saved in Atelier (${secretName})` : keyVariable,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** What to tell a user whose key is missing: save it in Atelier, or set the variable. */
export function missingKeyHint(config: Pick<KeyedProviderConfig, 'secretName' | 'keyVariable'>, provider: string): string {
  return `Save your ${provider} key with "atelier auth set ${config.secretName}" (or in Settings), or set ${config.keyVariable} for the app.`;
}
