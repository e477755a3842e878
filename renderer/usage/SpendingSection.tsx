import { lazy, Suspense, useId, useMemo, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { UsageDetails } from '../../shared/usage';
import { saveDownload } from '../components/save-download';
import { call } from '../ipc/client';
import { CostTables } from './CostTables';
import { formatDay, formatMoney } from './format-usage';
import { hasAnswers, modelRows, providerRows } from './report-rows';
import type { SpendingChartsProps } from './SpendingCharts';

// Chart.js (about 60 KB gzipped) is a chunk of its own, loaded when this section is shown, so
// the first screen does not wait for it. Should it not load (a damaged installation), the
// section still has its sentences and tables.
const SpendingCharts = lazy<ComponentType<SpendingChartsProps>>(() =>
  import('./SpendingCharts').then(
    (module) => ({ default: module.SpendingCharts }),
    () => ({ default: () => null }),
  ),
);

/**
 * What answers cost and used, the last 30 days: the total in words (and how many answers have
 * no known cost), the charts, the same numbers as tables, and the CSV export.
 */
export function SpendingSection({ report, failure, dailyLimitUsd }: { report: UsageDetails | null; failure: string | null; dailyLimitUsd: number | null }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const language = i18n.language;
  const models = useMemo(() => (report ? modelRows(report) : []), [report]);
  const providers = useMemo(() => (report ? providerRows(report) : []), [report]);

  const exportCsv = () => {
    void call('usage:export-csv').then(({ csv, fileName }) => saveDownload(fileName, 'text/csv', csv));
  };

  let body;
  if (failure !== null) {
    body = (
      <p className="banner banner-error" role="alert">
        {t('usage.reportFailed', { message: failure })}
      </p>
    );
  } else if (report === null) {
    body = <p className="muted">{t('app.loading')}</p>;
  } else {
    const from = formatDay(report.byDay[0]?.day ?? report.since, language, 'long');
    const to = formatDay(report.byDay.at(-1)?.day ?? report.since, language, 'long');
    body = hasAnswers(report) ? (
      <>
        <p>
          {t('usage.periodTotal', { total: formatMoney(report.totalUsd, language), from, to })}
          {report.unpricedAnswers > 0 && <> {t('usage.unpriced', { count: report.unpricedAnswers })}</>}
        </p>
        <div className="row">
          <button type="button" className="button" onClick={exportCsv}>
            {t('usage.exportCsv')}
          </button>
        </div>
        <Suspense fallback={<p className="muted">{t('usage.chartsLoading')}</p>}>
          <SpendingCharts report={report} dailyLimitUsd={dailyLimitUsd} providers={providers} models={models} />
        </Suspense>
        <CostTables report={report} models={models} from={from} to={to} />
      </>
    ) : (
      <p className="muted">{t('usage.noAnswers', { from, to })}</p>
    );
  }

  return (
    <section className="usage-section" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-heading">
        {t('usage.spendingTitle')}
      </h2>
      {body}
    </section>
  );
}
