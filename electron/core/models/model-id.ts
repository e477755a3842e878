import { AtelierError } from '../../../shared/errors';
import { builtinProviderPrefixes } from '../../../shared/settings';
import { printable } from '../../../shared/text';

export type BuiltinPrefix = (typeof builtinProviderPrefixes)[number];

/** A parsed model id: which provider, and the model's name at that provider. */
export interface ModelRef {
  /** `local`, `bedrock`, `anthropic`, `openai`, `openrouter`, or a custom endpoint's prefix. */
  prefix: string;
  /** Everything after the first slash: `llama3.2:3b`, `anthropic/claude-sonnet-4.5`. */
  model: string;
}

export function isBuiltinPrefix(prefix: string): prefix is BuiltinPrefix {
  return (builtinProviderPrefixes as readonly string[]).includes(prefix);
}

/**
 * Parses `provider/model`. Only the first slash separates: OpenRouter's own ids contain one
 * (`openrouter/anthropic/claude-sonnet-4.5`).
 */
export function parseModelId(id: string, customPrefixes: Iterable<string> = []): ModelRef {
  const prefixes = [...builtinProviderPrefixes, ...customPrefixes];
  const hint = `Model ids look like provider/model, for example local/llama3.2:3b. Valid prefixes: ${prefixes.join(', ')}.`;
  const slash = id.indexOf('/');
  const prefix = slash > 0 ? id.slice(0, slash) : '';
  const model = slash > 0 ? id.slice(slash + 1) : '';
  if (id.trim() !== id || /\s/.test(id) || prefix === '' || model === '' || model.startsWith('/') || model.endsWith('/')) {
    throw new AtelierError('invalid_request', `"${printable(id, 80)}" is not a valid model id.`, hint);
  }
  if (!prefixes.includes(prefix)) {
    throw new AtelierError('invalid_request', `"${printable(prefix, 40)}" is not a provider Atelier knows (in "${printable(id, 80)}").`, hint);
  }
  return { prefix, model };
}
