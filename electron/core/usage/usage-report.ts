import type { DatabaseSync } from 'node:sqlite';
import { BUDGET_WARNING_SHARE, type BudgetStatus, type UsageDetails, type UsageReport } from '../../../shared/usage';
import { AtelierError } from '../../../shared/errors';
import { printable } from '../../../shared/text';
import type { BudgetInForce } from '../privacy/policy';
import type { ManagedPolicy } from '../privacy/policy-file';
import { fullestLimit, localDay, resets, type BudgetLedger } from './budget-ledger';
import { roundUsd } from './prices';

/** How far back the Usage view and `atelier usage` look by default: the last 30 days, today included. */
export const DEFAULT_USAGE_DAYS = 30;

/** The first day of the default report: 29 days before today. */
export function defaultSince(now: Date = new Date()): string {
  return localDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() - (DEFAULT_USAGE_DAYS - 1)));
}

/** Local midnight at the start of `day` (YYYY-MM-DD). */
function startOf(day: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date);
}

/**
 * What answers cost and used since `since` (a local day), from the egress record: every answer
 * that was sent (chat, not model listings or connection tests), by day, provider and model.
 * Answers with an unknown cost are counted apart, never as 0.
 */
export function usageReport(db: DatabaseSync, since: string, now: Date = new Date()): UsageReport {
  const { unpricedByModel: _byModel, unpricedByDay: _byDay, ...report } = usageDetails(db, since, now);
  return report;
}

/** The report with where the answers of unknown cost were, for the Usage view. */
export function usageDetails(db: DatabaseSync, since: string, now: Date = new Date()): UsageDetails {
  const rows = db
    .prepare(
      `SELECT at, provider, model_id AS modelId, input_tokens AS inputTokens, output_tokens AS outputTokens, cost_usd AS costUsd, outcome
       FROM egress WHERE purpose = 'chat' AND outcome <> 'refused' AND at >= ? ORDER BY id`,
    )
    .all(startOf(since).toISOString()) as { at: string; provider: string; modelId: string; inputTokens: number | null; outputTokens: number | null; costUsd: number | null; outcome: string }[];

  const days = new Map<string, UsageReport['byDay'][number]>();
  const today = localDay(now);
  for (let at = startOf(since), day = localDay(at); day <= today; at = new Date(at.getFullYear(), at.getMonth(), at.getDate() + 1), day = localDay(at)) {
    days.set(day, { day, usd: 0, inputTokens: 0, outputTokens: 0 });
  }
  const byProvider: Record<string, number> = {};
  const byModel: Record<string, number> = {};
  let totalUsd = 0;
  let unpricedAnswers = 0;
  const unpricedByModel: Record<string, number> = {};
  const unpricedByDay: Record<string, number> = {};
  for (const row of rows) {
    const day = localDay(new Date(row.at));
    let entry = days.get(day);
    if (!entry) {
      // An entry from a clock that was ahead: counted on its own day, not lost.
      entry = { day, usd: 0, inputTokens: 0, outputTokens: 0 };
      days.set(day, entry);
    }
    entry.inputTokens += row.inputTokens ?? 0;
    entry.outputTokens += row.outputTokens ?? 0;
    const model = `${row.provider}/${row.modelId}`;
    if (row.costUsd === null) {
      // Unknown: no price, or an answer that ended before its tokens were counted (stopped,
      // broken off, Atelier killed). Never counted as 0; a model with only such answers has no sum.
      unpricedAnswers++;
      unpricedByModel[model] = (unpricedByModel[model] ?? 0) + 1;
      unpricedByDay[day] = (unpricedByDay[day] ?? 0) + 1;
      continue;
    }
    entry.usd += row.costUsd;
    byProvider[row.provider] = (byProvider[row.provider] ?? 0) + row.costUsd;
    byModel[model] = (byModel[model] ?? 0) + row.costUsd;
    totalUsd += row.costUsd;
  }
  const rounded = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).map(([key, usd]) => [key, roundUsd(usd)]));
  return {
    since,
    totalUsd: roundUsd(totalUsd),
    byDay: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)).map((day) => ({ ...day, usd: roundUsd(day.usd) })),
    byProvider: rounded(byProvider),
    byModel: rounded(byModel),
    unpricedAnswers,
    unpricedByModel,
    unpricedByDay,
  };
}

/** The report's days as CSV (RFC 4180, a header line): for people who read tables in a spreadsheet. */
export function usageCsv(report: UsageReport): string {
  const lines = ['day,usd,inputTokens,outputTokens', ...report.byDay.map((day) => `${day.day},${day.usd},${day.inputTokens},${day.outputTokens}`)];
  return `${lines.join('\r\n')}\r\n`;
}

/** The budget in force, what is spent against it, and whether to warn. */
export function budgetStatus(ledger: BudgetLedger, budget: BudgetInForce, lockedBy: BudgetStatus['lockedBy'], now: Date = new Date()): BudgetStatus {
  const spent = ledger.spent(now);
  const fullest = fullestLimit(budget, spent);
  const worst = fullest && { period: fullest.period, percent: Math.floor(fullest.share * 100) };
  const next = resets(now);
  return {
    dailyUsd: budget.dailyUsd,
    monthlyUsd: budget.monthlyUsd,
    spentTodayUsd: spent.todayUsd,
    spentThisMonthUsd: spent.thisMonthUsd,
    reservedUsd: spent.reservedUsd,
    source: budget.source,
    lockedBy,
    dayResetsAt: next.day.toISOString(),
    monthResetsAt: next.month.toISOString(),
    warning: worst && worst.percent >= BUDGET_WARNING_SHARE * 100 ? worst : null,
  };
}

/** Checks a day the user typed (YYYY-MM-DD, a real date, not after today); throws `invalid_request` with what to type. */
export function parseSince(day: string, now: Date = new Date()): string {
  const example = `such as ${defaultSince(now)} (YYYY-MM-DD)`;
  const value = day.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || localDay(startOf(value)) !== value) {
    throw new AtelierError('invalid_request', `"${printable(day, 40)}" is not a date.`, `Give a date ${example}.`);
  }
  if (value < '2000-01-01') throw new AtelierError('invalid_request', `${value} is too long ago.`, `Give a date from 2000 on, ${example}.`);
  if (value > localDay(now)) throw new AtelierError('invalid_request', `${value} is after today (${localDay(now)}).`, `Give a date up to today, ${example}.`);
  return value;
}

/** Why the budget cannot be changed here: the school's policy pins it (or locks settings), or the class is locked. */
export function budgetLockedBy(budget: BudgetInForce, managed: ManagedPolicy, classroomLocked: boolean): BudgetStatus['lockedBy'] {
  if (budget.source === 'policy' || (managed.state === 'valid' && managed.policy.lockSettings === true)) return 'policy';
  return classroomLocked ? 'classroom-lock' : null;
}
