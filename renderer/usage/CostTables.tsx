import { useTranslation } from 'react-i18next';
import type { UsageDetails } from '../../shared/usage';
import { formatCost, formatCount, formatDay } from './format-usage';
import { dayCost, type CostRow } from './report-rows';

/**
 * The charts' numbers as tables, for people who read tables (and screen readers, which read
 * them cell by cell): cost and tokens per day, and cost per model. Unknown costs say so.
 */
export function CostTables({ report, models, from, to }: { report: UsageDetails; models: readonly CostRow[]; from: string; to: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const money = (cost: { usd: number | null; unpriced: number }) => formatCost(t, language, cost);
  const inputTokens = report.byDay.reduce((sum, day) => sum + day.inputTokens, 0);
  const outputTokens = report.byDay.reduce((sum, day) => sum + day.outputTokens, 0);

  return (
    <div className="cost-tables">
      <table className="models-table numbers-table">
        <caption>{t('usage.tableDaysCaption', { from, to })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('usage.day')}</th>
            <th scope="col">{t('usage.cost')}</th>
            <th scope="col">{t('usage.tokensIn')}</th>
            <th scope="col">{t('usage.tokensOut')}</th>
          </tr>
        </thead>
        <tbody>
          {report.byDay.filter((day) => day.usd > 0 || day.inputTokens + day.outputTokens > 0 || (report.unpricedByDay[day.day] ?? 0) > 0).map((day) => (
            <tr key={day.day}>
              <th scope="row">{formatDay(day.day, language, 'long')}</th>
              <td>{money(dayCost(report, day))}</td>
              <td>{formatCount(day.inputTokens, language)}</td>
              <td>{formatCount(day.outputTokens, language)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('usage.inAll')}</th>
            <td>{money({ usd: report.totalUsd, unpriced: report.unpricedAnswers })}</td>
            <td>{formatCount(inputTokens, language)}</td>
            <td>{formatCount(outputTokens, language)}</td>
          </tr>
        </tfoot>
      </table>

      <table className="models-table numbers-table">
        <caption>{t('usage.tableModelsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('usage.model')}</th>
            <th scope="col">{t('usage.cost')}</th>
          </tr>
        </thead>
        <tbody>
          {models.map((model) => (
            <tr key={model.name}>
              <th scope="row">
                <code className="path">{model.name}</code>
              </th>
              <td>{money(model)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
