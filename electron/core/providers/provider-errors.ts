import type { StreamPart } from '../../../shared/chat';
import type { ErrorCode, ErrorPayload } from '../../../shared/errors';
import { scrubSecrets } from '../secrets/scrub';

/** What an error message may mention: the provider's name, the model, where its key comes from. */
export interface ErrorContext {
  provider: string;
  model: string;
  /** The variable or place the key comes from, for hints ("Check ANTHROPIC_API_KEY"). */
  keySource?: string;
  /** Where the provider was called, for "not reachable" messages (never holds credentials). */
  address?: string;
  /** Secret values in use for this call: scrubbed from anything the provider sends back. */
  secrets: readonly string[];
  /** What the call was: an answer (whose text so far is kept when it breaks off) or anything else. */
  call?: 'answer' | 'other';
}

export type StreamError = Extract<StreamPart, { type: 'error' }>;

export function errorPart(payload: ErrorPayload): StreamError {
  return { type: 'error', ...payload };
}

/** What a hint may promise about an answer cut off after some text came (and only then). */
export const TEXT_KEPT = 'The text received so far is kept.';

export const CANCELLED: ErrorPayload = {
  code: 'cancelled',
  message: 'You stopped the answer.',
  hint: 'The text received so far is kept. Send the message again for a full answer.',
};

/** Provider text read at most: enough for any real error message, bounded for the scrubber. */
const MAX_DETAIL_READ = 4000;

/**
 * Scrubs keys, tokens and signatures from text that came from a provider before it goes into
 * an error message: some servers echo the key they were sent (whole or in part), and a stack can
 * carry headers. Every piece of 8 or more characters of `secrets` goes, and anything key-shaped.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const result = scrubSecrets(text.slice(0, MAX_DETAIL_READ), secrets);
  return result.length > 300 ? `${result.slice(0, 300)}…` : result;
}

/** Appends what the provider said, scrubbed, to one of our own sentences. */
export function withDetail(message: string, detail: string | undefined, context: ErrorContext): string {
  const clean = detail ? redactSecrets(detail.trim(), context.secrets) : '';
  return clean ? `${message} ${context.provider} said: “${clean}”` : message;
}

/** The error for an HTTP status, the same across providers. */
export function errorForStatus(status: number, context: ErrorContext, detail?: string): ErrorPayload {
  const { provider, model } = context;
  const key = context.keySource ?? 'the API key';
  switch (true) {
    case status === 401:
      return {
        code: 'auth_invalid',
        message: withDetail(`${provider} did not accept the API key.`, detail, context),
        hint: `Check ${key}: it may be mistyped, revoked or meant for another service.`,
      };
    case status === 402:
      return quotaExceeded(context, detail);
    case status === 403:
      return {
        code: 'permission_denied',
        message: withDetail(`${provider} refused: this key may not do that.`, detail, context),
        hint: `Check the permissions of the key or account at ${provider}.`,
      };
    case status === 404:
      return modelNotFound(context, detail);
    case status === 408:
      return timedOut(context);
    case status === 429:
      return {
        code: 'rate_limited',
        message: withDetail(`${provider} is receiving too many requests from this account right now.`, detail, context),
        hint: 'Wait a minute and try again. If it keeps happening, ask for a higher limit or use fewer requests at once.',
      };
    case status === 400 || status === 413 || status === 422:
      return {
        code: 'invalid_request',
        message: withDetail(`${provider} refused the request for ${model}.`, detail, context),
        hint: 'Shorten the conversation or the answer length, or check that the model accepts images.',
      };
    default:
      return providerError(context, detail, status);
  }
}

export function modelNotFound(context: ErrorContext, detail?: string): ErrorPayload {
  return {
    code: 'model_not_found',
    message: withDetail(`${context.provider} has no model called “${context.model}”.`, detail, context),
    hint: 'Check the spelling, or run "atelier models" to see the models available.',
  };
}

export function quotaExceeded(context: ErrorContext, detail?: string): ErrorPayload {
  return {
    code: 'quota_exceeded',
    message: withDetail(`The ${context.provider} account has no credit or quota left.`, detail, context),
    hint: `Add credit or raise the limit in the ${context.provider} account; waiting will not help.`,
  };
}

export function providerError(context: ErrorContext, detail?: string, status?: number): ErrorPayload {
  const what = status ? ` (HTTP ${status})` : '';
  return {
    code: 'provider_error',
    message: withDetail(`${context.provider} had a problem answering${what}.`, detail, context),
    hint: 'This is on the provider’s side. Try again in a moment, or pick another model.',
  };
}

export function timedOut(context: ErrorContext): ErrorPayload {
  return {
    code: 'timeout',
    message: `${context.provider} did not answer in time.`,
    hint: 'Try again. A large model may need longer for its first answer; a smaller one answers faster.',
  };
}

export function credentialsMissing(provider: string, hint: string): ErrorPayload {
  return { code: 'credentials_missing', message: `No credentials are set up for ${provider}.`, hint };
}

/** Failures to connect at all: nothing listens, no such host, no network. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Failures after connecting: the connection broke off. */
const MIDWAY_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Every error code in an error's cause chain (and inside AggregateErrors), outermost first. */
function errorCodesIn(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 6) return [];
  const own = (error as { code?: unknown }).code;
  const nested = (error as { errors?: unknown }).errors;
  return [
    ...(typeof own === 'string' ? [own] : []),
    ...(Array.isArray(nested) ? nested.flatMap((inner) => errorCodesIn(inner, depth + 1)) : []),
    ...errorCodesIn((error as { cause?: unknown }).cause, depth + 1),
  ];
}

function causeMessages(error: unknown, depth = 0): string[] {
  if (!(error instanceof Error) || depth > 6) return [];
  return [error.message, ...causeMessages(error.cause, depth + 1)];
}

/**
 * The network failure behind an error, if any. A wrapper's code (an HTTP/2 stream cancelled)
 * often hides the root cause (connection refused), so the most telling code in the chain wins.
 */
export function networkErrorCode(error: unknown): string | undefined {
  const codes = errorCodesIn(error);
  return codes.find((code) => CONNECT_CODES.has(code)) ?? codes.find((code) => TIMEOUT_CODES.has(code)) ?? codes.find((code) => MIDWAY_CODES.has(code));
}

/** A connection failure in words, or null if the error is not one. */
export function errorForNetwork(error: unknown, context: ErrorContext, unreachableHint: string): ErrorPayload | null {
  if (causeMessages(error).includes('bad port')) {
    // fetch refuses ports the web platform blocks (9, 6000, 6665–6669, …) before connecting.
    return {
      code: 'provider_unreachable',
      message: `Atelier cannot connect to ${context.provider}${context.address ? ` at ${context.address}` : ''}: that port is blocked for web requests.`,
      hint: context.provider === 'Ollama' ? 'Run Ollama on another port (it uses 11434 by default) and update the address in Settings.' : 'Run the server on another port, or check the address in Settings.',
    };
  }
  const code = networkErrorCode(error);
  if (code === undefined) return null;
  if (TIMEOUT_CODES.has(code)) return timedOut(context);
  const where = context.address ? ` at ${context.address}` : '';
  const midway = MIDWAY_CODES.has(code);
  return {
    code: midway ? 'provider_error' : 'provider_unreachable',
    message: midway
      ? `The connection to ${context.provider} broke off before the answer was complete.`
      : `Atelier could not reach ${context.provider}${where}.`,
    hint: midway ? (context.call === 'other' ? 'Try again; if it happens again, check the server.' : `Try again. ${TEXT_KEPT}`) : unreachableHint,
  };
}

export function isAbortError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'AbortError' || name === 'APIUserAbortError';
}

export type { ErrorCode };
