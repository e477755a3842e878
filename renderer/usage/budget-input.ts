/** The most a limit may be, as main's schema (UsdLimitSchema) allows. */
export const MAX_LIMIT_USD = 1_000_000;

export type LimitProblem = 'not-a-number' | 'not-positive' | 'too-large' | 'comma';

/** What a limit field holds: an amount, no limit (empty), or why it is not an amount. */
export type ParsedLimit = { ok: true; usd: number | null } | { ok: false; problem: LimitProblem };

/**
 * Reads a limit as typed, before anything is sent: empty is "no limit"; otherwise a positive
 * amount in US dollars, with an optional "$". German accepts a comma or a point as the decimal
 * separator (2,50 or 2.50); English takes a point and says so for a comma, which there could
 * mean thousands. Thousands separators are not taken in either language: "1.000" would be one
 * dollar to one reader and a thousand to another.
 */
export function parseLimit(text: string, language: string): ParsedLimit {
  let value = text.trim().replace(/^\$\s*/, '').replace(/\s*(\$|usd)$/i, '');
  if (value === '') return { ok: true, usd: null };
  if (value.startsWith('-')) return { ok: false, problem: 'not-positive' };
  if (value.includes(',')) {
    if (!language.startsWith('de')) return { ok: false, problem: 'comma' };
    if (value.includes('.')) return { ok: false, problem: 'not-a-number' };
    value = value.replace(',', '.');
  }
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value)) return { ok: false, problem: 'not-a-number' };
  const usd = Number(value);
  if (!(usd > 0)) return { ok: false, problem: 'not-positive' };
  if (usd > MAX_LIMIT_USD) return { ok: false, problem: 'too-large' };
  return { ok: true, usd };
}

/** A limit as the field shows it: the amount in the UI's way of writing decimals, empty for none. */
export function limitText(usd: number | null, language: string): string {
  if (usd === null) return '';
  const text = usd.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
  return language.startsWith('de') ? text.replace('.', ',') : text;
}
