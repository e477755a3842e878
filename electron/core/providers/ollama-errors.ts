import type { ErrorPayload } from '../../../shared/errors';
import { maskUrlCredentials } from '../../../shared/url-credentials';
import { errorText } from './ollama-fetch';
import { CANCELLED, errorForNetwork, errorForStatus, isAbortError, providerError, withDetail, type ErrorContext } from './provider-errors';

const UNREACHABLE_HINT = 'Start Ollama (open the Ollama app, or run "ollama serve"), or check its address in Settings.';

/**
 * What the server said, as text. ollama-js passes the body's `error` field on as the error's
 * message (and keeps it as `error`); that field may be an object (`{"error": {"message": "…"}}`
 * from a proxy or an OpenAI-style gateway in front of Ollama), which as a message reads
 * "[object Object]". ollamaFetch rewrites such bodies; this covers a client without it.
 */
function detailOf(error: unknown): string {
  if (error !== null && typeof error === 'object' && 'error' in error) return errorText(error.error);
  return error instanceof Error ? error.message : errorText(error);
}

/** What ollama-js threw, in Atelier's words (kept apart from the SDK so it loads without it). */
export function mapOllamaError(error: unknown, context: ErrorContext): ErrorPayload {
  if (isAbortError(error)) return CANCELLED;
  const network = errorForNetwork(error, context, UNREACHABLE_HINT);
  if (network) return network;
  const message = detailOf(error);
  const status = (error as { status_code?: unknown }).status_code;
  if (typeof status === 'number') {
    if (status === 404 || /not found/i.test(message)) {
      return {
        code: 'model_not_found',
        message: `The model “${context.model}” is not installed in Ollama.`,
        hint: `Install it with "ollama pull ${context.model}", or pick an installed model ("atelier models").`,
      };
    }
    if (status === 401 || status === 403 || status === 407) {
      // Ollama itself has no keys: whatever refused is something in front of it (a proxy, a
      // gateway with a login). Atelier sends Ollama no credentials, so no key of ours is at fault.
      const where = context.address ? `The server at ${maskUrlCredentials(context.address)}` : 'The Ollama server';
      return {
        code: 'permission_denied',
        message: withDetail(`${where} refused access (HTTP ${status}).`, message, context),
        hint: 'Ollama itself asks for no key; a proxy in front of it may want credentials, which Atelier does not send to Ollama. Check the address (atelier config get ollama.host, or OLLAMA_HOST), or ask whoever runs that server to let this computer in.',
      };
    }
    return errorForStatus(status, context, message);
  }
  // An error line inside a 200 stream: {"error": "..."}.
  return providerError(context, message);
}
