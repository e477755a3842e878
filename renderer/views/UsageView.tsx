import { useTranslation } from 'react-i18next';
import { EmptyState } from '../components/EmptyState';
import { ViewSection } from '../components/ViewSection';

export function UsageView() {
  const { t } = useTranslation();
  return (
    <ViewSection title={t('usage.title')}>
      <EmptyState title={t('usage.emptyTitle')} body={t('usage.emptyBody')} />
    </ViewSection>
  );
}
