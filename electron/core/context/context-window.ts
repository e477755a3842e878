import type { ProviderConfig } from '../config/provider-config';
import { ollamaNumCtx } from '../hardware/context-size';

/**
 * Context windows of cloud model families, in tokens, as the providers document them (checked
 * 2026-12-01). A model not matched has no known window: its history is sent as it is, and the
 * provider says when it is too long.
 */
const CLOUD_WINDOWS: readonly [RegExp, number][] = [
  [/claude-(opus|sonnet)-4-[56]|claude-sonnet-4-5/, 200_000],
  [/claude/, 200_000],
  [/gpt-4\.1/, 1_047_576],
  [/gpt-5/, 400_000],
  [/gpt-4o|gpt-4-turbo/, 128_000],
  [/(^|\/)o[34](-mini)?/, 200_000],
  [/nova-pro|nova-lite/, 300_000],
  [/nova-micro/, 128_000],
  [/llama-?3\.[1-3]|llama3-[13]/, 128_000],
  [/llama-?4/, 1_000_000],
  [/pixtral|mistral-large/, 128_000],
];

/** Ollama's own limit per model (from /api/show), by host and model, asked once. */
const ollamaLimits = new Map<string, Promise<number | null>>();
/** The limits answered so far. */
const ollamaKnown = new Map<string, number>();

/**
 * How many tokens a model can read, request and answer together, as Atelier will use it: for
 * Ollama the `num_ctx` Atelier sends (Ollama silently drops the start of a longer prompt: fixed
 * in settings, or chosen for the model from the GPU's memory), or the model's own limit from
 * /api/show when that is smaller; for cloud models their documented window; null when unknown.
 */
export async function contextWindow(prefix: string, modelId: string, config: ProviderConfig, fetchImpl: typeof fetch = fetch, options: { askOllama?: boolean } = {}): Promise<number | null> {
  if (prefix === 'local') {
    // Asked once per model and process, and not waited for on the way to the first token: until
    // the answer is known the num_ctx sent is the window (a model's own limit is rarely smaller).
    const key = `${config.ollama.host}\u0000${modelId}`;
    const known = ollamaKnown.get(key);
    if (known === undefined && options.askOllama !== false) void ollamaLimit(config.ollama.host, modelId, fetchImpl).then((own) => own !== null && ollamaKnown.set(key, own));
    // The same choice the provider makes (it also caps by the known limit), so both agree.
    const { numCtx } = ollamaNumCtx(config.ollama, modelId, known ?? null);
    return known === undefined ? numCtx : Math.min(known, numCtx);
  }
  const id = modelId.toLowerCase();
  for (const [pattern, tokens] of CLOUD_WINDOWS) if (pattern.test(id)) return tokens;
  return null;
}

/** A local model's own limit, if this process has learned it from /api/show (never waits). */
export function knownOllamaLimit(host: string, model: string): number | null {
  return ollamaKnown.get(`${host}\u0000${model}`) ?? null;
}

function ollamaLimit(host: string, model: string, fetchImpl: typeof fetch): Promise<number | null> {
  const key = `${host}\u0000${model}`;
  let limit = ollamaLimits.get(key);
  if (!limit) {
    limit = askOllama(host, model, fetchImpl);
    ollamaLimits.set(key, limit);
    // A failed answer is asked again next time (Ollama may not have been running).
    void limit.then((value) => value === null && ollamaLimits.delete(key));
  }
  return limit;
}

async function askOllama(host: string, model: string, fetchImpl: typeof fetch): Promise<number | null> {
  try {
    const response = await fetchImpl(new URL('/api/show', host.includes('://') ? host : `http://${host}`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model }),
      signal: AbortSignal.timeout(2000),
    });
    if (!response.ok) return null;
    const show = (await response.json()) as { model_info?: Record<string, unknown> };
    const entry = Object.entries(show.model_info ?? {}).find(([name]) => name.endsWith('.context_length'));
    return typeof entry?.[1] === 'number' && entry[1] > 0 ? entry[1] : null;
  } catch {
    return null;
  }
}
