/**
 * A fetch for ollama-js that hands it every error as text it can carry.
 *
 * - An error response that is not JSON: ollama-js reads it itself and prints "Getting text from
 *   response" to the console while it does, so a proxy's HTML page or a plain-text 401 in front
 *   of Ollama put that line into the CLI's output. Rewrapped as `{ "error": "<text>" }`.
 * - An error whose `error` field is an object (`{"error": {"message": "…"}}`, as OpenAI-style
 *   gateways answer), in the response or as a line of a 200 stream: ollama-js makes it the
 *   message of an Error, which then reads "[object Object]". Rewritten with the object's
 *   `message`, or the object as JSON, as the `error` text.
 *
 * `signal`, when given, is added to every request (ollama-js aborts only through its own).
 */
export function ollamaFetch(fetchImpl: typeof fetch, signal?: AbortSignal): typeof fetch {
  return async (input, init) => {
    const combined = signal ? (init?.signal ? AbortSignal.any([init.signal, signal]) : signal) : init?.signal;
    const response = await fetchImpl(input, { ...init, ...(combined && { signal: combined }) });
    if (response.ok) return response.body ? new Response(response.body.pipeThrough(errorLinesAsText()), response) : response;
    const text = await response.text();
    let body: unknown;
    try {
      body = response.headers.get('content-type')?.includes('application/json') ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      body = undefined;
    }
    const error = body !== undefined && body !== null && typeof body === 'object' && 'error' in body ? errorText((body as { error: unknown }).error) : text.trim();
    return new Response(JSON.stringify({ error: error || response.statusText }), {
      status: response.status,
      statusText: response.statusText,
      headers: { 'content-type': 'application/json' },
    });
  };
}

/** An `error` field as text: itself if a string, else its `message` (or `error`), else the JSON. */
export function errorText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const inner = value as { message?: unknown; error?: unknown };
    if (typeof inner.message === 'string') return inner.message;
    if (typeof inner.error === 'string') return inner.error;
    try {
      return JSON.stringify(value);
    } catch {
      return '';
    }
  }
  return String(value as number | boolean | bigint);
}

/**
 * Passes a stream of NDJSON lines through, rewriting only a line whose `error` is not a string.
 * Lines are whole when they leave (a partial line waits for the rest), as ollama-js reads them.
 */
function errorLinesAsText(): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  const rewrite = (line: string): string => {
    if (!line.includes('"error"')) return line;
    try {
      const parsed = JSON.parse(line) as unknown;
      if (parsed === null || typeof parsed !== 'object' || !('error' in parsed) || typeof parsed.error === 'string') return line;
      return JSON.stringify({ ...parsed, error: errorText(parsed.error) });
    } catch {
      return line;
    }
  };
  return new TransformStream({
    transform(chunk, controller) {
      pending += decoder.decode(chunk, { stream: true });
      const end = pending.lastIndexOf('\n');
      if (end < 0) return;
      const lines = pending.slice(0, end + 1);
      pending = pending.slice(end + 1);
      controller.enqueue(encoder.encode(lines.includes('"error"') ? lines.split('\n').map(rewrite).join('\n') : lines));
    },
    flush(controller) {
      pending += decoder.decode();
      if (pending !== '') controller.enqueue(encoder.encode(rewrite(pending)));
    },
  });
}
