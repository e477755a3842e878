/**
 * The models to try, in order, when `model` cannot answer: its chain as the user or the school
 * set it (by model id; role chains are resolved to the role's model when the policy is read),
 * without the model itself and without repeats. No chain, no fallback: the default is none.
 */
export function fallbackChain(fallbacks: Readonly<Record<string, readonly string[]>> | undefined, model: string): string[] {
  const chain = fallbacks && Object.hasOwn(fallbacks, model) ? (fallbacks[model] ?? []) : [];
  return [...new Set(chain)].filter((candidate) => candidate !== model);
}
