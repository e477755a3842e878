import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SchoolServerStatus } from '../../../shared/school-server';
import { formatUsd } from '../../../shared/format';
import { call } from '../../ipc/client';

/** Each school server's status, asked when the panel opens and again when a key changes (`keys`). */
export function useSchoolServers(keys: string): SchoolServerStatus[] {
  const [servers, setServers] = useState<SchoolServerStatus[]>([]);
  useEffect(() => {
    let live = true;
    call('school:get-status').then(
      (answer) => live && setServers(answer.servers),
      () => live && setServers([]),
    );
    return () => {
      live = false;
    };
  }, [keys]);
  return servers;
}

/** What the school's server (a LiteLLM proxy) says of the student's key: the budget left, when it starts again, the limits. */
export function SchoolKeyStatus({ status }: { status: SchoolServerStatus | null }) {
  const { t, i18n } = useTranslation();
  if (status === null || status.litellm === false) return null;
  const { key, error } = status;
  if (!key) {
    return error ? (
      <p className="muted" role="status">
        {t('school.keyUnknown', { reason: error.message })}
      </p>
    ) : null;
  }
  const day = (iso: string) => new Date(iso).toLocaleDateString(i18n.language, { day: 'numeric', month: 'long', year: 'numeric' });
  const limits = [
    ...(key.rpmLimit !== null ? [t('school.rpm', { count: key.rpmLimit })] : []),
    ...(key.tpmLimit !== null ? [t('school.tpm', { count: key.tpmLimit, tokens: key.tpmLimit.toLocaleString(i18n.language) })] : []),
  ];
  return (
    <div className="school-key" role="status">
      <p>
        {key.maxBudgetUsd === null || key.remainingUsd === null
          ? t('school.noBudget', { spent: formatUsd(key.spentUsd) })
          : t('school.budget', { left: formatUsd(key.remainingUsd), budget: formatUsd(key.maxBudgetUsd) })}
        {key.budgetResetAt ? ` ${t('school.resets', { day: day(key.budgetResetAt) })}` : ''}
      </p>
      {limits.length > 0 && <p className="muted">{limits.join(' · ')}</p>}
    </div>
  );
}
