import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { EgressEntry } from '../../shared/egress';
import { EmptyState } from '../components/EmptyState';
import { saveDownload } from '../components/save-download';
import { call } from '../ipc/client';
import { formatMoney } from './format-usage';

/**
 * The egress record: where requests went (never what they said), with what each cost, and a
 * CSV export. A request that was refused or was not an answer (a model list, a connection
 * test) has no cost to show; an answer whose price is unknown says "unknown", never $0. A
 * request a tool sent through the local endpoint names the tool (its token's name).
 */
export function EgressRecord({ record }: { record: { entries: EgressEntry[]; total: number } | null }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();

  const exportCsv = () => {
    void call('egress:export-csv').then(({ csv, fileName }) => saveDownload(fileName, 'text/csv', csv));
  };
  const cost = (entry: EgressEntry) => {
    if (entry.costUsd !== null) return formatMoney(entry.costUsd, i18n.language);
    return entry.purpose === 'chat' && entry.outcome !== 'refused' ? t('egress.costUnknown') : '–';
  };

  return (
    <section className="usage-section" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-heading">
        {t('egress.title')}
      </h2>
      <p className="muted">{t('egress.about')}</p>
      {record === null || record.total === 0 ? (
        <EmptyState title={t('egress.none')} body={t('usage.emptyBody')} />
      ) : (
        <>
          <div className="row">
            <span>{t('egress.total', { count: record.total })}</span>
            <button type="button" className="button" onClick={exportCsv}>
              {t('egress.export')}
            </button>
          </div>
          <table className="models-table" aria-label={t('egress.title')}>
            <thead>
              <tr>
                <th scope="col">{t('egress.when')}</th>
                <th scope="col">{t('egress.purpose')}</th>
                <th scope="col">{t('egress.outcome')}</th>
                <th scope="col">{t('egress.route')}</th>
                <th scope="col">{t('egress.model')}</th>
                <th scope="col">{t('egress.tokens')}</th>
                <th scope="col">{t('egress.cost')}</th>
              </tr>
            </thead>
            <tbody>
              {record.entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{new Date(entry.at).toLocaleString(i18n.language)}</td>
                  <td>
                    {t(`egress.purpose_${entry.purpose}`)}
                    {entry.client !== null && <span className="egress-client muted">{t('egress.client', { client: entry.client })}</span>}
                  </td>
                  <td>{t(`egress.outcome_${entry.outcome}`)}</td>
                  <td>
                    {t(`egress.route_${entry.routeClass}`)} <span className="muted">({entry.host}{entry.region ? `, ${entry.region}` : ''})</span>
                  </td>
                  <td>
                    <code className="path">
                      {entry.provider}/{entry.modelId}
                    </code>
                  </td>
                  <td>{entry.inputTokens === null ? '–' : `${entry.inputTokens} / ${entry.outputTokens ?? '–'}`}</td>
                  <td>{cost(entry)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
