import type { FinishReason, StreamPart, Usage } from '../../../shared/chat';
import type { ErrorPayload } from '../../../shared/errors';
import type { Provenance } from '../../../shared/privacy';

/** A whole answer, gathered from its stream. */
export interface CollectedAnswer {
  /** All text received, also when the stream ended in an error or was cancelled. */
  text: string;
  finish: { reason: FinishReason; usage: Usage } | null;
  error: ErrorPayload | null;
  /** What the stream noted along the way (a model id resolved to a profile, …). */
  notices: string[];
  /** Where the answer came from; null when the request was refused before routing. */
  provenance: Provenance | null;
  /** Time to the first text, in milliseconds; null if no text came. */
  ttftMs: number | null;
  /** Time to the end of the stream, in milliseconds. */
  latencyMs: number;
  /** How many tries the answer took, over every model of a fallback chain (0 when nothing was sent). */
  attempts: number;
}

/**
 * Reads a stream to its end, passing each part to `onPart` as it arrives (to print it, say), and
 * returns the whole answer with its timings.
 */
export async function collectAnswer(
  parts: AsyncIterable<StreamPart>,
  onPart: (part: StreamPart) => void = () => undefined,
  now: () => number = () => performance.now(),
): Promise<CollectedAnswer> {
  const started = now();
  let text = '';
  let ttftMs: number | null = null;
  let finish: CollectedAnswer['finish'] = null;
  let error: ErrorPayload | null = null;
  const notices: string[] = [];
  let provenance: Provenance | null = null;
  let attempts = 0;
  for await (const part of parts) {
    onPart(part);
    if (part.type === 'text-delta') {
      if (ttftMs === null) ttftMs = now() - started;
      text += part.text;
    } else if (part.type === 'notice') {
      notices.push(part.message);
    } else if (part.type === 'provenance') {
      // One provenance part per try, across the models of a fallback chain.
      const { type: _type, attempt: _attempt, ...route } = part;
      provenance = route;
      attempts++;
    } else if (part.type === 'finish') {
      finish = { reason: part.reason, usage: part.usage };
    } else if (part.type === 'tool-call' || part.type === 'tool-result') {
      // The tool loop's own parts: the caller's onPart sees them.
    } else {
      const { type: _type, retryAfterMs: _retryAfter, ...payload } = part;
      error = payload;
    }
  }
  return { text, finish, error, notices, provenance, ttftMs, latencyMs: now() - started, attempts };
}
