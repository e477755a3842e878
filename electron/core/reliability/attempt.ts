import type { StreamPart } from '../../../shared/chat';
import type { ErrorPayload } from '../../../shared/errors';
import { errorPart, TEXT_KEPT, type StreamError } from '../providers/provider-errors';
import type { Provider, ProviderRequest } from '../providers/provider';

/** How long an answer may take to start, and to go on between two pieces of text. */
export interface Timeouts {
  firstTokenMs: number;
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { firstTokenMs: 120_000, idleMs: 60_000 };

/** How one try ended: its finish or error part (held back for the caller to pass on or retry), and the text it gave. */
export interface AttemptEnd {
  end: Extract<StreamPart, { type: 'finish' | 'error' }> | null;
  textLength: number;
}

/**
 * One try at a provider. Its parts pass through, except the final finish or error, which the
 * caller gets back to decide on (pass on, or try again). A first text that does not come within
 * `firstTokenMs`, or text that stops coming for `idleMs`, ends the try with `timeout` (the text
 * so far stands); the user's abort ends it with `cancelled`.
 */
export async function* streamAttempt(provider: Provider, request: ProviderRequest, signal: AbortSignal, timeouts: Timeouts, providerName: string): AsyncGenerator<StreamPart, AttemptEnd> {
  const controller = new AbortController();
  const forward = () => controller.abort();
  if (signal.aborted) controller.abort();
  else signal.addEventListener('abort', forward, { once: true });
  let textLength = 0;
  let expired: 'first-token' | 'idle' | null = null;
  const expire = (which: 'first-token' | 'idle') => () => {
    expired = which;
    controller.abort();
  };
  let timer = setTimeout(expire('first-token'), timeouts.firstTokenMs);
  let end: AttemptEnd['end'] = null;
  try {
    for await (const part of provider.stream(request, controller.signal)) {
      if (part.type === 'finish' || part.type === 'error') {
        end = part;
        break;
      }
      if (part.type === 'text-delta') {
        if (textLength === 0) {
          clearTimeout(timer);
          timer = setTimeout(expire('idle'), timeouts.idleMs);
        } else {
          timer.refresh();
        }
        textLength += part.text.length;
      }
      yield part;
    }
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', forward);
  }
  if (expired !== null && !signal.aborted && (end === null || (end.type === 'error' && end.code === 'cancelled'))) {
    end = timedOutPart(expired, expired === 'first-token' ? timeouts.firstTokenMs : timeouts.idleMs, providerName);
  }
  return { end, textLength };
}

function timedOutPart(which: 'first-token' | 'idle', ms: number, providerName: string): StreamError {
  const seconds = Math.round(ms / 1000);
  const payload: ErrorPayload =
    which === 'first-token'
      ? {
          code: 'timeout',
          message: `${providerName} did not start answering within ${seconds} s.`,
          hint: 'Try again, or pick a smaller or faster model. The time to wait can be changed in Settings (reliability.firstTokenTimeoutS).',
        }
      : {
          code: 'timeout',
          message: `${providerName} stopped sending for ${seconds} s, so the answer was ended.`,
          hint: `${TEXT_KEPT} Send the message again for a full answer; the time to wait can be changed in Settings (reliability.idleTimeoutS).`,
        };
  return errorPart(payload);
}
