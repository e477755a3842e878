import { useTranslation } from 'react-i18next';
import type { BudgetStatus } from '../../shared/usage';
import { useNavigation } from '../navigation';
import { formatMoney } from './format-usage';

/**
 * Above the composer once 80 % of a budget is spent (held answers included): how much of which
 * budget, and the way to the Usage view. A status, not an alert: it informs and blocks nothing.
 * The live region is always there, so a banner that appears after an answer is announced.
 */
export function BudgetBanner({ budget }: { budget: BudgetStatus | null }) {
  const { t, i18n } = useTranslation();
  const { go } = useNavigation();
  const warning = budget?.warning ?? null;
  let text: string | null = null;
  if (budget && warning) {
    const daily = warning.period === 'daily';
    const limit = daily ? budget.dailyUsd : budget.monthlyUsd;
    // Twelve significant digits: the sum of two amounts without float noise (0.8 + 0.05).
    const spent = Number(((daily ? budget.spentTodayUsd : budget.spentThisMonthUsd) + budget.reservedUsd).toPrecision(12));
    const values = { percent: warning.percent, spent: formatMoney(spent, i18n.language), limit: formatMoney(limit ?? 0, i18n.language) };
    text = daily ? t('usage.bannerDaily', values) : t('usage.bannerMonthly', values);
  }
  return (
    <div role="status" className="budget-status">
      {text !== null && (
        <div className="banner banner-warning">
          <p className="banner-text">{text}</p>
          <button type="button" className="link-button" onClick={() => go('usage', 'budget')}>
            {t('usage.bannerOpen')}
          </button>
        </div>
      )}
    </div>
  );
}
