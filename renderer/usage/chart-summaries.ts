import type { TFunction } from 'i18next';
import type { UsageDetails } from '../../shared/usage';
import { formatCost, formatCount, formatDay, formatMoney } from './format-usage';
import { peakDay, type CostRow } from './report-rows';

/** How many names a summary lists before it says "and N more". */
const LISTED = 5;

/**
 * What each chart shows, in a sentence: the canvas's accessible name (role="img"), so a screen
 * reader hears what a sighted reader sees at a glance. The numbers day by day are in the table
 * beneath the charts.
 */
export interface ChartSummaries {
  daily: string;
  providers: string;
  models: string;
  tokens: string;
}

export function chartSummaries(t: TFunction, language: string, report: UsageDetails, dailyLimitUsd: number | null, providers: readonly CostRow[], models: readonly CostRow[]): ChartSummaries {
  const money = (usd: number) => formatMoney(usd, language);
  const days = report.byDay;
  const from = formatDay(days[0]?.day ?? report.since, language, 'long');
  const to = formatDay(days.at(-1)?.day ?? report.since, language, 'long');

  const spentPeak = peakDay(days, (day) => day.usd);
  let daily = spentPeak
    ? t('usage.chartDailySummary', { from, to, total: money(report.totalUsd), day: formatDay(spentPeak.day, language, 'long'), usd: money(spentPeak.usd) })
    : t('usage.chartDailyNothing', { from, to });
  if (dailyLimitUsd !== null) daily += ` ${t('usage.chartDailyLimit', { limit: money(dailyLimitUsd) })}`;

  const tokenPeak = peakDay(days, (day) => day.inputTokens + day.outputTokens);
  const input = days.reduce((sum, day) => sum + day.inputTokens, 0);
  const output = days.reduce((sum, day) => sum + day.outputTokens, 0);
  const tokens = tokenPeak
    ? t('usage.chartTokensSummary', { from, to, input: formatCount(input, language), output: formatCount(output, language), day: formatDay(tokenPeak.day, language, 'long') })
    : t('usage.chartTokensNothing', { from, to });

  const list = (rows: readonly CostRow[]) => {
    const items = rows.slice(0, LISTED).map((row) => t('usage.itemCost', { name: row.name, cost: formatCost(t, language, row) }));
    if (rows.length > LISTED) items.push(t('usage.chartMore', { count: rows.length - LISTED }));
    return new Intl.ListFormat(language, { type: 'conjunction' }).format(items);
  };
  return {
    daily,
    providers: t('usage.chartProvidersSummary', { list: list(providers) }),
    models: t('usage.chartModelsSummary', { list: list(models) }),
    tokens,
  };
}
