import type { UsageDetails } from '../../shared/usage';

/**
 * A provider's or a model's cost: `usd` is what its answers of known price cost, null when it had
 * none (every answer of it was of unknown cost: there is no sum, and $0 would say "free");
 * `unpriced` counts its answers of unknown cost, which are in no sum.
 */
export interface CostRow {
  name: string;
  usd: number | null;
  unpriced: number;
}

const byCost = (a: CostRow, b: CostRow) => (b.usd ?? -1) - (a.usd ?? -1) || a.name.localeCompare(b.name);

function rows(sums: Readonly<Record<string, number>>, unpriced: ReadonlyMap<string, number>): CostRow[] {
  const names = new Set([...Object.keys(sums), ...unpriced.keys()]);
  return [...names].map((name) => ({ name, usd: Object.hasOwn(sums, name) ? (sums[name] ?? null) : null, unpriced: unpriced.get(name) ?? 0 })).sort(byCost);
}

/** The report's models, most expensive first, those of unknown cost last. */
export function modelRows(report: UsageDetails): CostRow[] {
  return rows(report.byModel, new Map(Object.entries(report.unpricedByModel)));
}

/** The report's providers (the prefix of a model id), most expensive first, those of unknown cost last. */
export function providerRows(report: UsageDetails): CostRow[] {
  const unpriced = new Map<string, number>();
  for (const [model, count] of Object.entries(report.unpricedByModel)) {
    const provider = model.split('/')[0] ?? model;
    unpriced.set(provider, (unpriced.get(provider) ?? 0) + count);
  }
  return rows(report.byProvider, unpriced);
}

/** A day's cost: the sum of its answers of known price, and how many of its answers are of unknown cost. */
export function dayCost(report: UsageDetails, day: { day: string; usd: number }): { usd: number; unpriced: number } {
  return { usd: day.usd, unpriced: report.unpricedByDay[day.day] ?? 0 };
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
