import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EgressEntry } from '../../shared/egress';
import type { UsageDetails } from '../../shared/usage';
import { ViewSection } from '../components/ViewSection';
import { call } from '../ipc/client';
import { usageSectionId, type UsageSection } from '../navigation';
import { BudgetCard } from '../usage/BudgetCard';
import { EgressRecord } from '../usage/EgressRecord';
import { SpendingSection } from '../usage/SpendingSection';
import { useBudget } from '../usage/use-budget';

/**
 * Usage: the budget for cloud use, what answers cost and used in the last 30 days (charts and
 * tables), and the egress record of where requests went.
 */
export function UsageView({ section = null }: { section?: UsageSection | null }) {
  const { t } = useTranslation();
  const { budget, setBudget } = useBudget();
  const [report, setReport] = useState<UsageDetails | null>(null);
  const [reportFailure, setReportFailure] = useState<string | null>(null);
  const [record, setRecord] = useState<{ entries: EgressEntry[]; total: number } | null>(null);

  useEffect(() => {
    call('usage:get-report').then(setReport, (error: unknown) => setReportFailure((error as Error).message));
    call('egress:list', { limit: 200 }).then(setRecord, () => setRecord({ entries: [], total: 0 }));
  }, []);

  // Led here by a button elsewhere (the budget banner, a budget_exceeded fix): show that part, with the focus on it.
  useEffect(() => {
    if (section === null || budget === null) return;
    const target = document.getElementById(usageSectionId(section));
    target?.scrollIntoView({ block: 'start' });
    target?.focus();
  }, [section, budget === null]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <ViewSection title={t('usage.title')}>
      <BudgetCard budget={budget} onChanged={setBudget} />
      <SpendingSection report={report} failure={reportFailure} dailyLimitUsd={budget?.dailyUsd ?? null} />
      <EgressRecord record={record} />
    </ViewSection>
  );
}
