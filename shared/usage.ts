import * as z from 'zod';

/** A model's price in US dollars per million tokens; cache prices where the provider bills them apart. */
export const PriceSchema = z.strictObject({
  input: z.number().nonnegative().max(10_000),
  output: z.number().nonnegative().max(10_000),
  cacheRead: z.number().nonnegative().max(10_000).optional(),
  cacheWrite: z.number().nonnegative().max(10_000).optional(),
});
export type Price = z.infer<typeof PriceSchema>;

/** A limit in US dollars: a positive amount, up to a million. */
export const UsdLimitSchema = z.number().positive('a budget is more than 0 US dollars').max(1_000_000, 'a budget is at most 1000000 US dollars');

/** Daily and monthly limits for cloud use on this machine; null: no limit. */
export const BudgetSettingsSchema = z.strictObject({
  dailyUsd: UsdLimitSchema.nullable(),
  monthlyUsd: UsdLimitSchema.nullable(),
});
export type BudgetSettings = z.infer<typeof BudgetSettingsSchema>;

/** A day as YYYY-MM-DD (the machine's local calendar). */
export const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date such as 2026-11-01 (YYYY-MM-DD)');

/** What was spent and used per day, provider and model (`atelier usage --json`, the Usage view). */
export const UsageReportSchema = z.object({
  /** The first day counted, YYYY-MM-DD. */
  since: DaySchema,
  /** Dollars spent on answers whose price is known. */
  totalUsd: z.number(),
  /** Every day from `since` to today, oldest first, days without answers included. */
  byDay: z.array(z.object({ day: DaySchema, usd: z.number(), inputTokens: z.number().int(), outputTokens: z.number().int() })),
  /** Dollars per provider prefix (`bedrock`, `local`, a custom endpoint's prefix, …). */
  byProvider: z.record(z.string(), z.number()),
  /** Dollars per model id, `provider/model` as sent. */
  byModel: z.record(z.string(), z.number()),
  /**
   * Answers whose cost is unknown (no price for the model, or ended before the provider counted
   * the tokens: stopped, broken off, Atelier killed): in no sum. A model with only such answers
   * is not in `byModel` (nor its provider in `byProvider`, if it has no priced answers either).
   */
  unpricedAnswers: z.number().int(),
});
export type UsageReport = z.infer<typeof UsageReportSchema>;

/**
 * The Usage view's report: the same, and where the answers of unknown cost were (a model whose
 * sum is $0 may be free, or unpriced: the view says which).
 */
export const UsageDetailsSchema = UsageReportSchema.extend({
  /** Answers of unknown cost per model id, `provider/model`; models without any left out. */
  unpricedByModel: z.record(z.string(), z.number().int()),
  /** Answers of unknown cost per day (YYYY-MM-DD); days without any left out. */
  unpricedByDay: z.record(DaySchema, z.number().int()),
});
export type UsageDetails = z.infer<typeof UsageDetailsSchema>;

/** The budget in force and what is spent against it (`atelier budget show --json`, the Usage view). */
export const BudgetStatusSchema = z.object({
  dailyUsd: z.number().nullable(),
  monthlyUsd: z.number().nullable(),
  spentTodayUsd: z.number(),
  spentThisMonthUsd: z.number(),
  /** Held for answers still on their way, at their worst case. */
  reservedUsd: z.number(),
  /** `policy`: the school's policy file pins the budget; `none`: no limit is set. */
  source: z.enum(['settings', 'policy', 'none']),
  /** Why the budget cannot be changed here (the policy pins it, the class is locked); null when it can. */
  lockedBy: z.enum(['policy', 'classroom-lock']).nullable(),
  /** When today's and this month's spending start again from 0 (ISO 8601). */
  dayResetsAt: z.string(),
  monthResetsAt: z.string(),
  /** Set at 80 % or more of a limit (spent and reserved together): which, and how far. */
  warning: z.object({ period: z.enum(['daily', 'monthly']), percent: z.number() }).nullable(),
});
export type BudgetStatus = z.infer<typeof BudgetStatusSchema>;

/** The share of a limit at which Atelier warns. */
export const BUDGET_WARNING_SHARE = 0.8;
