import type { TFunction } from 'i18next';
import { formatUsd } from '../../shared/format';

/**
 * How money, days and counts read in the UI's language. English keeps formatUsd's exact text
 * (what main's messages and the CLI say: $4.25, $0.0042); German writes the same digits the
 * German way (4,25 $, 0,0042 $), since a German reader types and reads a decimal comma.
 */
export function formatMoney(usd: number, language: string): string {
  const english = formatUsd(usd);
  if (!language.startsWith('de')) return english;
  const digits = english.split('.')[1]?.length ?? 2;
  return new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'USD', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(usd);
}

/**
 * A cost as a sum of known prices and a count of answers of unknown cost beside it: "$0.0013",
 * "$0.0013 + 2 unknown", or "unknown" when nothing of it had a price. Unknown is never $0.
 */
export function formatCost(t: TFunction, language: string, cost: { usd: number | null; unpriced: number }): string {
  if (cost.usd === null) return t('usage.unknownCost');
  const money = formatMoney(cost.usd, language);
  return cost.unpriced > 0 ? t('usage.costAndUnknown', { cost: money, count: cost.unpriced }) : money;
}

/** A day of the report (YYYY-MM-DD, the machine's calendar) as "1 Dec" / "1. Dez." (`long`: with the year). */
export function formatDay(day: string, language: string, style: 'short' | 'long' = 'short'): string {
  const [year, month, date] = day.split('-').map(Number);
  const local = new Date(year ?? 1970, (month ?? 1) - 1, date ?? 1);
  return local.toLocaleDateString(language, style === 'short' ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'long', year: 'numeric' });
}

/** A moment (ISO 8601) as date and time in the UI's language: when a budget starts again. */
export function formatMoment(iso: string, language: string): string {
  return new Date(iso).toLocaleString(language, { dateStyle: 'long', timeStyle: 'short' });
}

/** A count of tokens with the language's grouping (12,345 / 12.345). */
export function formatCount(count: number, language: string): string {
  return count.toLocaleString(language);
}
