/**
 * Whether a model takes images, from its id: true, false, or null where Atelier cannot tell (a
 * custom endpoint's model, a model it does not know). Families as their makers document them;
 * the provider still has the last word, and a wrong guess ends in the provider's own error.
 */
const VISION: RegExp[] = [
  // Anthropic: every Claude since 3, on Anthropic, Bedrock and OpenRouter.
  /claude-(3|sonnet-4|opus-4|haiku-4)/,
  // OpenAI: GPT-4o, 4.1, 4-turbo, 5, and the o-series reasoning models with vision.
  /(^|\/)(gpt-4o|gpt-4\.1|gpt-4-turbo|gpt-5|o1|o3|o4-mini)(?![a-z])/,
  // Google Gemini and Gemma 3 (4B and up), on OpenRouter and Ollama.
  /gemini/,
  /gemma3(?!:1b)(:|-|$)/,
  /gemma-3-(4b|12b|27b)/,
  // Local vision models in Ollama's library.
  /(^|\/)(llava|bakllava|llama3\.2-vision|llama4|qwen2\.5vl|qwen2-vl|qwen2\.5-vl|minicpm-v|moondream|granite3\.2-vision|mistral-small3\.[12])/,
  // Bedrock: Amazon Nova Lite, Pro and Premier; Llama 3.2 11B and 90B; Mistral Pixtral.
  /nova-(lite|pro|premier)/,
  /llama3-2-(11b|90b)/,
  /pixtral/,
];

const TEXT_ONLY: RegExp[] = [/gpt-3\.5/, /nova-micro/, /claude-(2|instant)/, /(^|\/)(llama3\.[123]?|llama3|qwen2\.5|qwen3|phi[34]|mistral|deepseek-r1|gemma2)(:|$)/, /titan-text/];

export function takesImages(modelId: string): boolean | null {
  const id = modelId.toLowerCase();
  if (VISION.some((pattern) => pattern.test(id))) return true;
  if (TEXT_ONLY.some((pattern) => pattern.test(id))) return false;
  return null;
}

/**
 * Whether a model can call tools, from its id: true, false, or null where Atelier cannot tell
 * (it is then offered the tools, and the provider says if it cannot). Families as their makers
 * and Ollama's library document them.
 */
const TOOLS: RegExp[] = [
  /claude-(3-5|3-7|sonnet-4|opus-4|haiku-4)/,
  /(^|\/)(gpt-4o|gpt-4\.1|gpt-4-turbo|gpt-5|o3|o4-mini)(?![a-z])/,
  /(^|\/)(llama3\.[123]|llama4|qwen2\.5|qwen3|mistral|mistral-small|mistral-nemo|command-r|granite3)/,
  /nova-(micro|lite|pro|premier)/,
  /gemini/,
];
const NO_TOOLS: RegExp[] = [/(^|\/)(gemma[23]?|phi3|phi4|deepseek-r1|llava|moondream|tinyllama)(:|-|$)/, /gpt-3\.5-turbo-instruct/, /claude-(2|instant)/, /titan-text/];

export function takesTools(modelId: string): boolean | null {
  const id = modelId.toLowerCase();
  if (NO_TOOLS.some((pattern) => pattern.test(id))) return false;
  if (TOOLS.some((pattern) => pattern.test(id))) return true;
  return null;
}
