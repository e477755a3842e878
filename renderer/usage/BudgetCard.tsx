import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BudgetStatus } from '../../shared/usage';
import { call, IpcCallError } from '../ipc/client';
import { usageSectionId } from '../navigation';
import { limitText, parseLimit, type LimitProblem } from './budget-input';
import { formatMoment, formatMoney } from './format-usage';

type Period = 'daily' | 'monthly';
type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; message: string; hint: string | null };

/**
 * The budget for cloud use: the daily and monthly limits (empty: no limit), what is spent and
 * held against them, when each starts again, and who set it. Input is checked here before it is
 * sent; main checks it again and refuses it while the school's policy or the classroom lock
 * keeps the budget, which the card then says instead of offering fields.
 */
export function BudgetCard({ budget, onChanged }: { budget: BudgetStatus | null; onChanged: (budget: BudgetStatus) => void }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section className="card budget-card settings-anchor" id={usageSectionId('budget')} tabIndex={-1} aria-labelledby={headingId}>
      <h2 id={headingId} className="card-heading">
        {t('usage.budgetTitle')}
      </h2>
      <p className="muted">{t('usage.budgetAbout')}</p>
      {budget === null ? <p className="muted">{t('app.loading')}</p> : <BudgetForm budget={budget} onChanged={onChanged} />}
    </section>
  );
}

function BudgetForm({ budget, onChanged }: { budget: BudgetStatus; onChanged: (budget: BudgetStatus) => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const ids = { lock: useId(), help: useId(), daily: useId(), monthly: useId() };
  const [text, setText] = useState<Record<Period, string>>(() => ({ daily: limitText(budget.dailyUsd, language), monthly: limitText(budget.monthlyUsd, language) }));
  const [problems, setProblems] = useState<Partial<Record<Period, LimitProblem>>>({});
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const fields = { daily: useRef<HTMLInputElement>(null), monthly: useRef<HTMLInputElement>(null) };
  const locked = budget.lockedBy !== null;
  const money = (usd: number) => formatMoney(usd, language);

  const problemText = (problem: LimitProblem) => {
    switch (problem) {
      case 'comma':
        return t('usage.limitComma');
      case 'not-positive':
        return t('usage.limitNotPositive');
      case 'too-large':
        return t('usage.limitTooLarge');
      default:
        return t('usage.limitNotANumber');
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const daily = parseLimit(text.daily, language);
    const monthly = parseLimit(text.monthly, language);
    const found: Partial<Record<Period, LimitProblem>> = {};
    if (!daily.ok) found.daily = daily.problem;
    if (!monthly.ok) found.monthly = monthly.problem;
    setProblems(found);
    if (!daily.ok || !monthly.ok) {
      setSave({ kind: 'idle' });
      (daily.ok ? fields.monthly : fields.daily).current?.focus();
      return;
    }
    setSave({ kind: 'saving' });
    call('usage:set-budget', { dailyUsd: daily.usd, monthlyUsd: monthly.usd }).then(
      (next) => {
        onChanged(next);
        setSave({ kind: 'saved' });
      },
      (error: unknown) => {
        setSave({
          kind: 'failed',
          message: error instanceof Error ? error.message : String(error),
          hint: error instanceof IpcCallError ? (error.hint ?? null) : null,
        });
        // Locked meanwhile (a teacher locked the class, the school's policy changed): show it.
        if (error instanceof IpcCallError && error.code === 'settings_locked') call('usage:get-budget').then(onChanged, () => undefined);
      },
    );
  };

  const field = (period: Period) => {
    const problem = problems[period];
    const errorId = `${ids[period]}-error`;
    const describedBy = [problem ? errorId : null, locked ? ids.lock : ids.help].filter(Boolean).join(' ');
    return (
      <div className="budget-field">
        <label htmlFor={ids[period]}>{period === 'daily' ? t('usage.dailyLimit') : t('usage.monthlyLimit')}</label>
        <input
          ref={fields[period]}
          id={ids[period]}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          placeholder={t('usage.noLimit')}
          value={text[period]}
          disabled={locked}
          aria-invalid={problem ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => setText((current) => ({ ...current, [period]: event.target.value }))}
        />
        {problem && (
          <p id={errorId} className="field-error">
            {problemText(problem)}
          </p>
        )}
      </div>
    );
  };

  const limitFact = (spent: number, limit: number | null, resetsAt: string) => (
    <>
      {limit === null ? t('usage.spentNoLimit', { spent: money(spent) }) : t('usage.spentOf', { spent: money(spent), limit: money(limit) })}
      <span className="muted"> · {t('usage.resetsAt', { when: formatMoment(resetsAt, language) })}</span>
    </>
  );

  return (
    <>
      {locked && (
        <p id={ids.lock} className="budget-locked">
          {budget.lockedBy === 'policy' ? t('usage.lockedPolicy') : t('usage.lockedClassroom')}
        </p>
      )}
      <form className="budget-form" onSubmit={submit} noValidate>
        <div className="budget-fields">
          {field('daily')}
          {field('monthly')}
        </div>
        {!locked && (
          <p id={ids.help} className="muted">
            {t('usage.limitHelp')}
          </p>
        )}
        <div className="row">
          <button type="submit" className="button button-primary" disabled={locked || save.kind === 'saving'}>
            {t('usage.saveBudget')}
          </button>
          <span className="save-status" role="status">
            {save.kind === 'saved' && t('usage.budgetSaved')}
          </span>
        </div>
      </form>
      {save.kind === 'failed' && (
        <div className="answer-error" role="alert">
          <p>
            <strong>{t('usage.budgetSaveFailed', { message: save.message })}</strong>
          </p>
          {save.hint && <p>{save.hint}</p>}
        </div>
      )}
      <dl className="facts">
        <dt>{t('usage.spentToday')}</dt>
        <dd>{limitFact(budget.spentTodayUsd, budget.dailyUsd, budget.dayResetsAt)}</dd>
        <dt>{t('usage.spentThisMonth')}</dt>
        <dd>{limitFact(budget.spentThisMonthUsd, budget.monthlyUsd, budget.monthResetsAt)}</dd>
        <dt>{t('usage.held')}</dt>
        <dd>{money(budget.reservedUsd)}</dd>
        <dt>{t('usage.setBy')}</dt>
        <dd>{budget.source === 'policy' ? t('usage.source_policy') : budget.source === 'settings' ? t('usage.source_settings') : t('usage.source_none')}</dd>
      </dl>
    </>
  );
}
