import { useTranslation } from 'react-i18next';
import { EmptyState } from '../components/EmptyState';

export function UsageView() {
  const { t } = useTranslation();
  return (
    <section className="view" aria-labelledby="usage-title">
      <h1 id="usage-title" className="view-title">
        {t('usage.title')}
      </h1>
      <EmptyState title={t('usage.emptyTitle')} body={t('usage.emptyBody')} />
    </section>
  );
}
