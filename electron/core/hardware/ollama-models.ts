/**
 * Ollama models Atelier recommends, with what it takes to estimate whether they fit.
 *
 * Sources: `sizeBytes` is the download size of the default (Q4_K_M) tag as ollama.com/library
 * lists it (decimal GB, as Ollama prints sizes); the architecture numbers are `num_hidden_layers`,
 * `num_key_value_heads` and `head_dim` from each base model's config.json on Hugging Face;
 * `contextLength` is the `<arch>.context_length` Ollama's `ollama show` reports for the tag.
 * Checked when written; re-check when adding or bumping a model.
 */
export interface OllamaModelSpec {
  /** The Ollama tag, as used in `local/<tag>`. */
  tag: string;
  /** A short description for the UI. */
  label: string;
  sizeBytes: number;
  layers: number;
  kvHeads: number;
  headDim: number;
  /** Takes images as input. */
  vision: boolean;
  /** The longest context the model was made for, in tokens (Ollama caps num_ctx to it). */
  contextLength: number;
}

const GB = 1e9;

export const ollamaModels = {
  'llama3.2:1b': { tag: 'llama3.2:1b', label: 'Llama 3.2 1B', sizeBytes: 1.3 * GB, layers: 16, kvHeads: 8, headDim: 64, vision: false, contextLength: 131_072 },
  'llama3.2:3b': { tag: 'llama3.2:3b', label: 'Llama 3.2 3B', sizeBytes: 2.0 * GB, layers: 28, kvHeads: 8, headDim: 128, vision: false, contextLength: 131_072 },
  'llama3.1:8b': { tag: 'llama3.1:8b', label: 'Llama 3.1 8B', sizeBytes: 4.9 * GB, layers: 32, kvHeads: 8, headDim: 128, vision: false, contextLength: 131_072 },
  'llama3.3:70b': { tag: 'llama3.3:70b', label: 'Llama 3.3 70B', sizeBytes: 43 * GB, layers: 80, kvHeads: 8, headDim: 128, vision: false, contextLength: 131_072 },
  'qwen2.5:1.5b': { tag: 'qwen2.5:1.5b', label: 'Qwen 2.5 1.5B', sizeBytes: 0.986 * GB, layers: 28, kvHeads: 2, headDim: 128, vision: false, contextLength: 32_768 },
  'qwen2.5:7b': { tag: 'qwen2.5:7b', label: 'Qwen 2.5 7B', sizeBytes: 4.7 * GB, layers: 28, kvHeads: 4, headDim: 128, vision: false, contextLength: 32_768 },
  'qwen2.5:14b': { tag: 'qwen2.5:14b', label: 'Qwen 2.5 14B', sizeBytes: 9.0 * GB, layers: 48, kvHeads: 8, headDim: 128, vision: false, contextLength: 32_768 },
  'qwen2.5:32b': { tag: 'qwen2.5:32b', label: 'Qwen 2.5 32B', sizeBytes: 20 * GB, layers: 64, kvHeads: 8, headDim: 128, vision: false, contextLength: 32_768 },
  'qwen2.5:72b': { tag: 'qwen2.5:72b', label: 'Qwen 2.5 72B', sizeBytes: 47 * GB, layers: 80, kvHeads: 8, headDim: 128, vision: false, contextLength: 32_768 },
  'gemma3:4b': { tag: 'gemma3:4b', label: 'Gemma 3 4B (images)', sizeBytes: 3.3 * GB, layers: 34, kvHeads: 4, headDim: 256, vision: true, contextLength: 131_072 },
  'gemma3:12b': { tag: 'gemma3:12b', label: 'Gemma 3 12B (images)', sizeBytes: 8.1 * GB, layers: 48, kvHeads: 8, headDim: 256, vision: true, contextLength: 131_072 },
  'gemma3:27b': { tag: 'gemma3:27b', label: 'Gemma 3 27B (images)', sizeBytes: 17 * GB, layers: 62, kvHeads: 16, headDim: 128, vision: true, contextLength: 131_072 },
  'mistral-small:24b': { tag: 'mistral-small:24b', label: 'Mistral Small 24B', sizeBytes: 14 * GB, layers: 40, kvHeads: 8, headDim: 128, vision: false, contextLength: 32_768 },
} as const satisfies Record<string, OllamaModelSpec>;

export type OllamaModelTag = keyof typeof ollamaModels;

/** What a fit estimate needs to know of a model. */
export type ModelShape = Pick<OllamaModelSpec, 'sizeBytes' | 'layers' | 'kvHeads' | 'headDim'>;

/** The table's entry for an Ollama tag, or undefined for a model Atelier does not describe. */
export function ollamaModel(tag: string): OllamaModelSpec | undefined {
  return Object.hasOwn(ollamaModels, tag) ? ollamaModels[tag as OllamaModelTag] : undefined;
}

/** KV-cache bytes per token of context at f16: keys and values, for every layer and KV head. */
export function kvBytesPerToken(model: ModelShape): number {
  return 2 * model.layers * model.kvHeads * model.headDim * 2;
}

/**
 * Runtime overhead on top of weights and cache: the GPU context and compute buffers. Ollama's
 * own estimate grows with the model; 512 MiB plus 8 % of the weights keeps us on the safe side
 * of what it reports for these models.
 */
export function overheadBytes(model: ModelShape): number {
  return 512 * 1024 * 1024 + 0.08 * model.sizeBytes;
}

/** What running the model at `numCtx` needs in memory, in bytes. */
export function requiredBytes(model: ModelShape, numCtx: number): number {
  return Math.round(model.sizeBytes + kvBytesPerToken(model) * numCtx + overheadBytes(model));
}
