/** OpenRouter's attribution headers: which app sent the request (shown in OpenRouter's rankings). */
export const OPENROUTER_ATTRIBUTION = { 'HTTP-Referer': 'https://github.com/atelier-desktop/atelier', 'X-Title': 'Atelier' };
