import type { ErrorPayload } from '../../../shared/errors';
import { SECRET_PATTERNS } from '../../../shared/secret-shapes';
import type { ProviderConfig } from '../config/provider-config';

/**
 * The shortest piece of a secret that must never be shown. Four characters at each end is what
 * `maskSecret` shows on purpose; eight in a row already narrows a key down too far.
 */
export const MIN_SECRET_RUN = 8;

const REDACTED = '[redacted]';

/** Shapes of keys, tokens and credentials, for secrets Atelier does not know the value of (shared with URL checks). */
export { SECRET_PATTERNS };

/** `scheme://user:password@` (or `token@`) in a URL: the user info is replaced, the host kept. */
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]+@/gi;
/** `?api_key=…`, `&token=…`, `;api_key=…`, `#token=…` and the like: the value is replaced, the name kept. */
const URL_QUERY_CREDENTIAL = /([?&;#][A-Za-z0-9_.-]*(?:key|token|secret|passw|pwd|signature|credential|auth)[A-Za-z0-9_.-]*=)[^&#\s"'<>]+/gi;
/** C0 and C1 control characters other than tab and line feed: never echoed raw to a terminal. */
// eslint-disable-next-line no-control-regex -- these are exactly the characters to replace
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * The forms a secret may take in text a server sends back: as is, URL-encoded (a key in a query
 * string), and JSON-escaped (`/` as `\/`).
 */
function variantsOf(secret: string): string[] {
  const variants = new Set([secret, encodeURIComponent(secret), secret.replaceAll('/', '\\/')]);
  return [...variants];
}

/**
 * Marks every character of `text` that belongs to a run of at least MIN_SECRET_RUN characters
 * also found, in the same order, in one of the secrets. Each secret contributes the set of its
 * MIN_SECRET_RUN-character windows; any longer common run is a chain of overlapping windows, so
 * marking every window of the text found in the set covers it. Linear in the text's length.
 */
function markSecretRuns(text: string, secrets: readonly string[]): boolean[] | null {
  const windows = new Set<string>();
  for (const secret of secrets) {
    for (const variant of variantsOf(secret.trim())) {
      for (let start = 0; start + MIN_SECRET_RUN <= variant.length; start += 1) windows.add(variant.slice(start, start + MIN_SECRET_RUN));
    }
  }
  if (windows.size === 0) return null;
  let marked: boolean[] | null = null;
  for (let start = 0; start + MIN_SECRET_RUN <= text.length; start += 1) {
    if (!windows.has(text.slice(start, start + MIN_SECRET_RUN))) continue;
    marked ??= new Array<boolean>(text.length).fill(false);
    for (let at = start; at < start + MIN_SECRET_RUN; at += 1) marked[at] = true;
  }
  return marked;
}

/**
 * Names Atelier prints itself. A piece of a secret that is wholly part of one of these tells
 * nothing about the secret (a test key such as `sk-ant-…-fakeAnthropicKey…` must not turn
 * "Anthropic" into "A[redacted]"); a longer piece around it is still removed. Real keys are
 * random and never contain them.
 */
const PUBLIC_NAMES = ['anthropic', 'openai', 'openrouter', 'bedrock-runtime', 'amazonaws', 'claude', 'ollama', 'localhost', 'keychain', 'environment'];

function isPublicName(piece: string): boolean {
  const lower = piece.toLowerCase();
  return PUBLIC_NAMES.some((name) => name.includes(lower));
}

/**
 * Removes from `text` every piece of at least MIN_SECRET_RUN characters of any of `secrets`
 * (a server that echoes 27 of a key's 33 characters gives nothing away), whole secrets of 6
 * or 7 characters, anything shaped like a key, token or signature, credentials in URLs, and
 * control characters. For anything a provider, a file or the environment put into a message.
 */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let result = text;
  const marked = markSecretRuns(result, secrets);
  if (marked) {
    let out = '';
    for (let at = 0; at < result.length; ) {
      let end = at + 1;
      while (end < result.length && marked[end] === marked[at]) end += 1;
      const piece = result.slice(at, end);
      out += marked[at] && !isPublicName(piece) ? REDACTED : piece;
      at = end;
    }
    result = out;
  }
  for (const secret of secrets) {
    const value = secret.trim();
    if (value.length >= 6 && value.length < MIN_SECRET_RUN) result = result.split(value).join(REDACTED);
  }
  result = result.replace(URL_USER_INFO, `$1${REDACTED}@`).replace(URL_QUERY_CREDENTIAL, `$1${REDACTED}`);
  for (const pattern of SECRET_PATTERNS) result = result.replace(pattern, REDACTED);
  return result.replace(CONTROL_CHARACTERS, '\uFFFD');
}

/** An error's message and hint, scrubbed as above; the code stays. */
export function scrubPayload<T extends ErrorPayload>(payload: T, secrets: readonly string[] = []): T {
  return {
    ...payload,
    message: scrubSecrets(payload.message, secrets),
    ...(payload.hint !== undefined && { hint: scrubSecrets(payload.hint, secrets) }),
  };
}

/** Environment variables whose values are secrets: provider keys and AWS credentials. */
export const SECRET_VARIABLES = [
  'ANTHROPIC_API_KEY',
  'OPENAI_API_KEY',
  'OPENROUTER_API_KEY',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
] as const;

/** `ATELIER_ENDPOINT_<PREFIX>_KEY`: a custom endpoint's key. */
const ENDPOINT_KEY_VARIABLE = /^ATELIER_ENDPOINT_[A-Z0-9_]+_KEY$/;

/** The secret values set in the environment: what the CLI can know without asking the keychain. */
export function environmentSecrets(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env).flatMap(([name, value]) =>
    value?.trim() && ((SECRET_VARIABLES as readonly string[]).includes(name) || ENDPOINT_KEY_VARIABLE.test(name)) ? [value.trim()] : [],
  );
}

/** Every secret a provider configuration holds: the keys of all providers, AWS's secret and tokens. */
export function configSecrets(config: ProviderConfig): string[] {
  const auth = config.bedrock.auth;
  const aws = auth.kind === 'keys' ? [auth.secretAccessKey, auth.sessionToken ?? ''] : auth.kind === 'api-key' ? [auth.token] : [];
  const keyed = [config.anthropic, config.openai, config.openrouter, ...config.endpoints.values()].map((provider) => provider.apiKey ?? '');
  return [...aws, ...keyed].filter((secret) => secret !== '');
}
