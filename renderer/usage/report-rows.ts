import type { UsageDetails } from '../../shared/usage';

/**
 * A provider's or a model's cost: `usd` is null where it is unknown (every answer of it had no
 * price: its sum of $0 does not mean free); `unpriced` counts its answers of unknown cost.
 */
export interface CostRow {
  name: string;
  usd: number | null;
  unpriced: number;
}

const byCost = (a: CostRow, b: CostRow) => (b.usd ?? -1) - (a.usd ?? -1) || a.name.localeCompare(b.name);

/** What a sum means: unknown when it is $0 and answers without a price went into it. */
const known = (usd: number, unpriced: number) => (usd === 0 && unpriced > 0 ? null : usd);

/** The report's models, most expensive first. */
export function modelRows(report: UsageDetails): CostRow[] {
  return Object.entries(report.byModel)
    .map(([name, usd]) => {
      const unpriced = report.unpricedByModel[name] ?? 0;
      return { name, usd: known(usd, unpriced), unpriced };
    })
    .sort(byCost);
}

/** The report's providers (the prefix of a model id), most expensive first. */
export function providerRows(report: UsageDetails): CostRow[] {
  return Object.entries(report.byProvider)
    .map(([name, usd]) => {
      const unpriced = Object.entries(report.unpricedByModel).reduce((sum, [model, count]) => (model.startsWith(`${name}/`) ? sum + count : sum), 0);
      return { name, usd: known(usd, unpriced), unpriced };
    })
    .sort(byCost);
}

/** A day's cost: null when only answers of unknown cost were given that day. */
export function dayCost(report: UsageDetails, day: { day: string; usd: number }): { usd: number | null; unpriced: number } {
  const unpriced = report.unpricedByDay[day.day] ?? 0;
  return { usd: known(day.usd, unpriced), unpriced };
}

/** The day with the most of `value`, or null when every day has none. */
export function peakDay<T extends { day: string }>(days: readonly T[], value: (day: T) => number): T | null {
  let peak: T | null = null;
  for (const day of days) if (value(day) > 0 && (peak === null || value(day) > value(peak))) peak = day;
  return peak;
}

/** Whether anything was answered in the report's days: spent, tokens, or answers of unknown cost. */
export function hasAnswers(report: UsageDetails): boolean {
  return report.unpricedAnswers > 0 || Object.keys(report.byModel).length > 0 || report.byDay.some((day) => day.inputTokens + day.outputTokens > 0);
}
