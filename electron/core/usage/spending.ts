import type { ChatRequest, Usage } from '../../../shared/chat';
import type { ErrorCode, ErrorPayload } from '../../../shared/errors';
import { formatUsd } from '../../../shared/format';
import type { Provenance } from '../../../shared/privacy';
import { BUDGET_WARNING_SHARE } from '../../../shared/usage';
import type { BudgetInForce } from '../privacy/policy';
import { DEFAULT_MAX_TOKENS } from '../providers/provider';
import { fullestLimit, resets, type BudgetLedger, type BudgetOverrun, type Spent } from './budget-ledger';
import { costOf, priceFor, roundUsd, type Price } from './prices';
import { estimateRequestTokens } from '../context/fit-history';

/** How an answer ended, as far as its cost goes. */
export interface AnswerEnd {
  /** The finish part's usage; null when the stream ended without one (an error, a stop). */
  usage: Usage | null;
  /** Characters of text received, for an estimate when no usage came. */
  textLength: number;
  errorCode: ErrorCode | null;
}

/** A request let through: settle it when the answer ends; `cost` gives what the answer cost. */
export interface Admission {
  /** The answer length to ask the provider for: the worst case was reserved for exactly this. */
  maxTokens: number | undefined;
  /** Said before the answer, at 80 % of a limit. */
  notice: string | null;
  /** The answer's cost (null: unknown), for the finish part, the message and the egress record. */
  cost(usage: Usage): number | null;
  /**
   * Settles the reservation with what the answer cost (or, without a usage, an estimate of it);
   * returns the 80 % warning when this answer is what crossed it.
   */
  settle(end: AnswerEnd): string | null;
}

/** What an answer that ended without a usage cost, as far as Atelier knows: 0 when nothing was billed, else unknown. */
export function costWithoutUsage(end: Omit<AnswerEnd, 'usage'>): number | null {
  return end.errorCode !== null && NOT_BILLED.has(end.errorCode) && end.textLength === 0 ? 0 : null;
}

/**
 * Errors that come before a provider accepts a request: nothing was generated, so nothing is
 * billed. Any other end (a stop, a broken stream, a timeout) may have been billed.
 */
const NOT_BILLED: ReadonlySet<ErrorCode> = new Set([
  'credentials_missing',
  'auth_invalid',
  'credentials_expired',
  'permission_denied',
  'model_access_denied',
  'model_not_found',
  'inference_profile_required',
  'rate_limited',
  'quota_exceeded',
  'provider_unreachable',
  // A server error or an error event before any text (HTTP 5xx, overloaded): nothing was generated.
  'provider_error',
  'invalid_request',
  'policy_denied',
  // A school server's refusal of a key over its budget (LiteLLM): refused before any answer.
  'budget_exceeded',
]);

/** A high estimate of a request's input tokens, before the provider counts them (cached per text). */
export const estimateInputTokens = estimateRequestTokens;

/**
 * The router's spending step: prices every answer and, for cloud routes, holds the budget.
 * Before a cloud request is sent its worst case (the estimated input and the whole `maxTokens`
 * at the model's price) is reserved in the ledger; a request that does not fit is refused with
 * `budget_exceeded` and nothing is sent. Local routes are priced (at 0 for Ollama) but never
 * held back by a budget.
 */
export class Spending {
  constructor(private readonly ledger: () => BudgetLedger | null) {}

  /**
   * Lets the request through (with its reservation), or says why not. `keptByServer`: a school's
   * server that keeps its own budget per key (LiteLLM): its answers are priced where a price is
   * known, but neither held back nor counted here, so they are not counted twice.
   */
  admit(
    request: ChatRequest,
    route: Provenance,
    budget: BudgetInForce | undefined,
    endpointPrices: Readonly<Record<string, Price>> | undefined,
    options: { keptByServer?: boolean } = {},
  ): Admission | ErrorPayload {
    const price = priceFor(route, endpointPrices);
    // A cost the provider reported (OpenRouter) is taken as it is; one that makes no sense is not.
    const cost = (usage: Usage) => (typeof usage.costUsd === 'number' && Number.isFinite(usage.costUsd) && usage.costUsd >= 0 ? roundUsd(usage.costUsd) : costOf(usage, price));
    const cloud = route.routeClass !== 'local' && route.provider !== 'local';
    const ledger = cloud && options.keptByServer !== true ? this.ledger() : null;
    if (!ledger) return { maxTokens: request.maxTokens, notice: null, cost, settle: () => null };

    const limits = { dailyUsd: budget?.dailyUsd ?? null, monthlyUsd: budget?.monthlyUsd ?? null };
    const limited = limits.dailyUsd !== null || limits.monthlyUsd !== null;
    const inputTokens = estimateInputTokens(request);
    // With a limit, the provider is always told the answer's length: the reservation holds for it.
    const maxTokens = limited ? (request.maxTokens ?? DEFAULT_MAX_TOKENS) : request.maxTokens;
    const worstCaseUsd = price === null ? null : roundUsd((inputTokens * price.input + (maxTokens ?? DEFAULT_MAX_TOKENS) * price.output) / 1_000_000);
    if (limited && worstCaseUsd === null) return unpricedRefusal(route);

    const now = new Date();
    const reservation = ledger.reserve({ provider: route.provider, modelId: route.modelId, worstCaseUsd }, limits, now);
    if (!reservation.ok) return overrunRefusal(reservation.overrun, budget?.source ?? 'settings', now);
    let settled = false;
    const before = limited ? warning(limits, reservation.spent) : null;
    return {
      maxTokens,
      notice: before,
      cost,
      settle: (end) => {
        if (settled) return null;
        settled = true;
        ledger.settle(reservation.id, spentOn(end, cost, price, inputTokens, maxTokens ?? DEFAULT_MAX_TOKENS));
        // Said once: before the answer if it was reached already, else when this answer reaches it.
        return limited && before === null ? warning(limits, ledger.spent()) : null;
      },
    };
  }
}

/**
 * What a request that ended cost: its real cost where known, else an estimate (never more than
 * the reservation: the provider stops at `maxTokens`), or 0 when nothing was billed.
 */
function spentOn(end: AnswerEnd, cost: (usage: Usage) => number | null, price: Price | null, inputTokens: number, maxTokens: number): number | null {
  if (end.usage) {
    const real = cost(end.usage);
    if (real !== null) return real;
  }
  if (costWithoutUsage(end) === 0) return 0;
  if (price === null) return null;
  const outputTokens = Math.min(maxTokens, Math.ceil(end.textLength / 3) + 1);
  return roundUsd((inputTokens * price.input + outputTokens * price.output) / 1_000_000);
}

const PERIOD_WORDS = { daily: 'today’s', monthly: 'this month’s' } as const;

function warning(limits: { dailyUsd: number | null; monthlyUsd: number | null }, spent: Spent): string | null {
  const fullest = fullestLimit(limits, spent);
  if (!fullest || fullest.share < BUDGET_WARNING_SHARE) return null;
  return `${Math.floor(fullest.share * 100)} % of ${PERIOD_WORDS[fullest.period]} budget for cloud use is spent (${formatUsd(fullest.usedUsd)} of ${formatUsd(fullest.limitUsd)}).`;
}

function whenItResets(period: 'daily' | 'monthly', now: Date): string {
  const at = period === 'daily' ? resets(now).day : resets(now).month;
  const date = at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
  return period === 'daily' ? `It starts again at midnight (${date}).` : `It starts again on ${date}.`;
}

function overrunRefusal(overrun: BudgetOverrun, source: BudgetInForce['source'], now: Date): ErrorPayload {
  const spentUsd = overrun.period === 'daily' ? overrun.spent.todayUsd : overrun.spent.thisMonthUsd;
  const held = overrun.spent.reservedUsd > 0 ? ` and ${formatUsd(overrun.spent.reservedUsd)} is held for answers still on their way` : '';
  const raise =
    source === 'policy'
      ? 'Your school sets this budget: ask your school’s IT if it needs to change.'
      : `A teacher can raise it in Usage, or with: atelier budget set --${overrun.period === 'daily' ? 'daily' : 'monthly'} USD.`;
  return {
    code: 'budget_exceeded',
    message: `This answer could cost up to ${formatUsd(overrun.requestUsd)}, and that does not fit ${PERIOD_WORDS[overrun.period]} budget for cloud use: ${formatUsd(spentUsd)} of ${formatUsd(overrun.limitUsd)} is spent${held}. Nothing was sent. ${whenItResets(overrun.period, now)}`,
    hint: `Use a model on this computer (never limited by the budget), ask for a shorter answer (a lower maximum length), or wait until it starts again. ${raise}`,
  };
}

function unpricedRefusal(route: Provenance): ErrorPayload {
  return {
    code: 'budget_exceeded',
    message: `A budget for cloud use is set, and Atelier knows no price for ${route.provider}/${route.modelId}, so it cannot keep the budget with it. Nothing was sent.`,
    hint: `Choose a model with a known price (atelier models), or give this endpoint its price in settings (endpoints → price) or in the school’s policy file.`,
  };
}
