// The Usage view's charts: Chart.js with only the parts drawn here registered (bars, a line,
// two axes, legend, tooltips), in a chunk of its own that the view loads when it is shown, so
// the first screen never waits for it (see SpendingSection.tsx).
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartDataset,
} from 'chart.js';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { UsageDetails } from '../../shared/usage';
import { chartSummaries } from './chart-summaries';
import { useChartTheme, type ChartTheme } from './chart-theme';
import { formatCount, formatDay, formatMoney } from './format-usage';
import type { CostRow } from './report-rows';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

/** How many models the chart by model shows; the table beneath lists them all. */
const CHARTED_MODELS = 8;
/** The longest category label drawn in full; longer model ids keep their start and end. */
const LABEL_CHARS = 44;

const shortened = (label: string) => (label.length <= LABEL_CHARS ? label : `${label.slice(0, 16)}…${label.slice(-(LABEL_CHARS - 17))}`);
/** A bar chart lying down is as tall as its bars need. */
const barsHeight = (bars: number) => Math.max(110, bars * 30 + 56);

type Config = ChartConfiguration<'bar' | 'line', number[], string>;

/** One chart: a canvas that screen readers meet as an image named by its summary. */
function ChartCanvas({ config, summary, height }: { config: Config; summary: string; height?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="chart-box" style={height === undefined ? undefined : { height }}>
      <canvas ref={canvas} role="img" aria-label={summary} />
    </div>
  );
}

/** What every chart here shares: no animation, the theme's text and grid, money or counts on the value axis. */
function baseOptions(theme: ChartTheme, valueLabel: (value: number) => string, horizontal = false): Config['options'] {
  const valueAxis = { beginAtZero: true, grid: { color: theme.grid }, border: { color: theme.grid }, ticks: { color: theme.muted, maxRotation: 0, callback: (value: string | number) => valueLabel(Number(value)) } };
  const categoryAxis = {
    grid: { display: false },
    border: { color: theme.grid },
    ticks: { color: theme.muted, autoSkip: !horizontal, maxRotation: 0, callback(this: { getLabelForValue(value: number): string }, value: string | number) { return shortened(this.getLabelForValue(Number(value))); } },
  };
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    indexAxis: horizontal ? 'y' : 'x',
    font: { family: theme.font },
    scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
    plugins: {
      // Point styles in the legend: a square for bars, a dash for the limit line.
      legend: { display: !horizontal, labels: { color: theme.text, font: { family: theme.font }, usePointStyle: true } },
      tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${valueLabel(Number(item.raw))}` } },
    },
  };
}

export interface SpendingChartsProps {
  report: UsageDetails;
  /** Drawn as a line over the cost per day; null: no daily limit. */
  dailyLimitUsd: number | null;
  providers: CostRow[];
  models: CostRow[];
}

export function SpendingCharts({ report, dailyLimitUsd, providers, models }: SpendingChartsProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const theme = useChartTheme();
  const summaries = chartSummaries(t, language, report, dailyLimitUsd, providers, models);

  const configs = useMemo(() => {
    const money = (usd: number) => formatMoney(usd, language);
    const count = (value: number) => formatCount(value, language);
    const labels = report.byDay.map((day) => formatDay(day.day, language));
    const costBars: ChartDataset<'bar', number[]> = { type: 'bar', label: t('usage.seriesCost'), data: report.byDay.map((day) => day.usd), backgroundColor: theme.primary, pointStyle: 'rect' };
    const limitLine: ChartDataset<'line', number[]> | null =
      dailyLimitUsd === null
        ? null
        : { type: 'line', label: t('usage.seriesDailyLimit'), data: report.byDay.map(() => dailyLimitUsd), borderColor: theme.limit, backgroundColor: theme.limit, borderDash: [6, 4], borderWidth: 2, pointRadius: 0, pointStyle: 'line' };
    const daily: Config = { type: 'bar', data: { labels, datasets: limitLine ? [costBars, limitLine] : [costBars] }, options: baseOptions(theme, money) };

    // Unknown costs are left out of the bars (a bar at 0 would say "free"); the summary and the table say "unknown".
    const priced = (rows: CostRow[]) => rows.filter((row): row is CostRow & { usd: number } => row.usd !== null);
    const costBy = (rows: CostRow[]): Config => ({
      type: 'bar',
      data: { labels: rows.map((row) => row.name), datasets: [{ type: 'bar', label: t('usage.seriesCost'), data: rows.map((row) => row.usd ?? 0), backgroundColor: theme.primary }] },
      options: baseOptions(theme, money, true),
    });

    const tokens: Config = {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { type: 'bar', label: t('usage.seriesTokensIn'), data: report.byDay.map((day) => day.inputTokens), backgroundColor: theme.primary, pointStyle: 'rect' },
          { type: 'bar', label: t('usage.seriesTokensOut'), data: report.byDay.map((day) => day.outputTokens), backgroundColor: theme.secondary, pointStyle: 'rect' },
        ],
      },
      options: baseOptions(theme, count),
    };
    const chartedProviders = priced(providers);
    const chartedModels = priced(models).slice(0, CHARTED_MODELS);
    return { daily, providers: costBy(chartedProviders), models: costBy(chartedModels), tokens, heights: { providers: barsHeight(chartedProviders.length), models: barsHeight(chartedModels.length) } };
  }, [report, dailyLimitUsd, providers, models, theme, language, t]);

  return (
    <div className="charts">
      <figure className="chart">
        <figcaption>{t('usage.chartDailyTitle')}</figcaption>
        <ChartCanvas config={configs.daily} summary={summaries.daily} />
      </figure>
      <figure className="chart">
        <figcaption>{t('usage.chartProvidersTitle')}</figcaption>
        <ChartCanvas config={configs.providers} summary={summaries.providers} height={configs.heights.providers} />
      </figure>
      <figure className="chart">
        <figcaption>{t('usage.chartModelsTitle')}</figcaption>
        <ChartCanvas config={configs.models} summary={summaries.models} height={configs.heights.models} />
      </figure>
      <figure className="chart">
        <figcaption>{t('usage.chartTokensTitle')}</figcaption>
        <ChartCanvas config={configs.tokens} summary={summaries.tokens} />
      </figure>
    </div>
  );
}
