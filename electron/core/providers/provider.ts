import type { ChatRequest, StreamPart } from '../../../shared/chat';
import { INTERNAL_ERROR, type ErrorPayload } from '../../../shared/errors';
import { retryAfterOf } from '../reliability/retry';
import { scrubPayload } from '../secrets/scrub';
import { CANCELLED, errorPart, TEXT_KEPT, type ErrorContext } from './provider-errors';

/** A chat request as a provider sees it: `model` is the provider's own name for it. */
export type ProviderRequest = ChatRequest;

/**
 * One provider behind one SDK. `stream` yields text deltas, then exactly one `finish` or
 * `error` part, and never throws: the router relies on that for every provider alike.
 */
export interface Provider {
  readonly prefix: string;
  stream(request: ProviderRequest, signal: AbortSignal): AsyncIterable<StreamPart>;
}

/** Default answer length where a provider requires one (Anthropic, Bedrock), in tokens. */
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * Wraps an SDK stream so all providers end alike. The SDKs differ on abort (ollama-js throws,
 * the Anthropic and OpenAI SDKs end silently, the AWS SDK throws an AbortError): whatever they
 * do, an aborted stream ends with one `cancelled` error part, and the text already yielded
 * stands. A stream that ends without a finish is reported, not passed off as complete. Every
 * error part is scrubbed of the call's secrets (any piece of 8 or more characters) and of
 * anything key-shaped, whichever provider or mapping produced it.
 */
export async function* guardStream(
  source: () => AsyncIterable<StreamPart>,
  mapError: (error: unknown) => ErrorPayload,
  context: ErrorContext,
  signal: AbortSignal,
): AsyncGenerator<StreamPart> {
  // A hint that the text so far is kept is only true when some came.
  let received = false;
  const honest = <T extends ErrorPayload>(payload: T): T =>
    !received && payload.hint?.includes(TEXT_KEPT) ? { ...payload, hint: payload.hint.replace(TEXT_KEPT, '').trim() || 'Try again.' } : payload;
  try {
    for await (const part of source()) {
      if (signal.aborted) break;
      if (part.type === 'text-delta' && part.text === '') continue;
      if (part.type === 'text-delta') received = true;
      yield part.type === 'error' ? scrubPayload(honest(part), context.secrets) : part;
      if (part.type === 'finish' || part.type === 'error') return;
    }
  } catch (error) {
    if (!signal.aborted) {
      // A Retry-After the provider sent goes with the error: the router's retry honours it.
      const retryAfterMs = retryAfterOf(error);
      yield { ...errorPart(scrubPayload(honest(safeMap(mapError, error)), context.secrets)), ...(retryAfterMs !== undefined && { retryAfterMs }) };
      return;
    }
  }
  yield errorPart(
    signal.aborted
      ? CANCELLED
      : {
          code: 'provider_error',
          message: `The answer from ${context.provider} stopped before it was complete.`,
          hint: received ? `Try again. ${TEXT_KEPT}` : 'Try again.',
        },
  );
}

function safeMap(mapError: (error: unknown) => ErrorPayload, error: unknown): ErrorPayload {
  try {
    return mapError(error);
  } catch {
    return INTERNAL_ERROR;
  }
}

/** Text of a message's content, for providers that take plain strings. */
export function textOf(content: ProviderRequest['messages'][number]['content']): string {
  return typeof content === 'string'
    ? content
    : content
        .filter((part) => part.type === 'text')
        .map((part) => part.text)
        .join('\n');
}

/** A provider that cannot run (no key): one error part, no network I/O. */
export function failingProvider(prefix: string, payload: ErrorPayload): Provider {
  return {
    prefix,
    async *stream() {
      yield errorPart(payload);
    },
  };
}

/**
 * A provider whose module, and so its SDK, is loaded on its first request (once; later requests
 * reuse it). Loading the SDKs up front cost the CLI and the app's first window most of their
 * start-up time, for providers a command or a session may never ask.
 */
export function lazyProvider(prefix: string, load: () => Promise<Provider>): Provider {
  let loaded: Promise<Provider> | null = null;
  return {
    prefix,
    async *stream(request, signal) {
      loaded ??= load();
      let provider: Provider;
      try {
        provider = await loaded;
      } catch {
        // A module that cannot load (a broken install) is a bug to report, not a crash; the next request tries again.
        loaded = null;
        yield errorPart(INTERNAL_ERROR);
        return;
      }
      yield* provider.stream(request, signal);
    },
  };
}
