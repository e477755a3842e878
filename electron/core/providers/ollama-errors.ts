import type { ErrorPayload } from '../../../shared/errors';
import { CANCELLED, errorForNetwork, errorForStatus, isAbortError, providerError, type ErrorContext } from './provider-errors';

const UNREACHABLE_HINT = 'Start Ollama (open the Ollama app, or run "ollama serve"), or check its address in Settings.';

/** What ollama-js threw, in Atelier's words (kept apart from the SDK so it loads without it). */
export function mapOllamaError(error: unknown, context: ErrorContext): ErrorPayload {
  if (isAbortError(error)) return CANCELLED;
  const network = errorForNetwork(error, context, UNREACHABLE_HINT);
  if (network) return network;
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as { status_code?: unknown }).status_code;
  if (typeof status === 'number') {
    if (status === 404 || /not found/i.test(message)) {
      return {
        code: 'model_not_found',
        message: `The model “${context.model}” is not installed in Ollama.`,
        hint: `Install it with "ollama pull ${context.model}", or pick an installed model ("atelier models").`,
      };
    }
    return errorForStatus(status, context, message);
  }
  // An error line inside a 200 stream: {"error": "..."}.
  return providerError(context, message);
}
