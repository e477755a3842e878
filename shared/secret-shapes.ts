/**
 * Shapes of keys, tokens and credentials: what a secret looks like when Atelier does not know
 * its value. The scrubber removes text of these shapes from messages (electron/core/secrets/
 * scrub.ts); endpoint URLs holding one are refused (url-credentials.ts). Global, for replace().
 */
export const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{6,}/g, // OpenAI, Anthropic (sk-ant-…), OpenRouter (sk-or-…)
  /\b(AKIA|ASIA)[0-9A-Z]{12,}/g, // AWS access key ids
  /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi,
  /\b(Signature|Credential|X-Amz-Security-Token|X-Amz-Signature|X-Amz-Credential)=[^\s,&"']+/gi,
  /\b[A-Za-z0-9+/]{40,}={0,2}/g, // long base64 runs: secret keys, session tokens
];

/** The same shapes without the global flag, whose lastIndex would make test() unreliable. */
const SHAPES = SECRET_PATTERNS.map((pattern) => new RegExp(pattern.source, pattern.flags.replace('g', '')));

/** Whether `text` holds something shaped like a key, a token or a signature. */
export function looksLikeSecret(text: string): boolean {
  return SHAPES.some((shape) => shape.test(text));
}
